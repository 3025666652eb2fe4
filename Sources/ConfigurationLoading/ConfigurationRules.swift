import FulcrumSettings
/// What ``ConfigurationLoader`` needs to know about a configuration beyond its defaults: the parts whose
/// allowed keys or values the encoded defaults do not show.
///
/// Keys are dotted paths as written in the file; list items are written without their index
/// (`ingest.feeds.encoding` for the encoding of every feed).
public struct ConfigurationRules {
    /// For lists of sections (e.g. `ingest.feeds`): the defaults each item of the file is merged over, so an item
    /// names only what differs.
    public var listItems: [String: any Encodable]
    /// For maps with keys of the user's choosing (e.g. `model.assetOverrides`, keyed by symbol): one entry with
    /// every key present. An entry of the file may name any of its keys (and no other) and carries only those.
    public var mapEntries: [String: any Encodable]
    /// For sections that name one of several alternatives (e.g. `estimation.shrinkage`: `none`, `fixed` or
    /// `ledoitWolf`): one sample of each, every key present. The file's section replaces the default and may use
    /// the keys of any sample (and no other).
    public var alternatives: [String: [any Encodable]]
    /// For keys that take one of a fixed set of words (enumerations): the words, listed in errors.
    public var choices: [String: [String]]
    /// Integer keys that hold a duration in nanoseconds without saying so in their type (the event-time settings,
    /// `Int64` nanoseconds, e.g. `estimation.gridInterval`). Keys of ``NanosecondDuration`` settings and keys whose
    /// name ends in `Ns` are durations without being listed. A duration key takes a duration with a unit (`250ms`)
    /// or whole nanoseconds; any other number key refuses a unit.
    public var durations: [String]

    /// Rules; by default none, so the defaults alone decide the allowed keys.
    public init(
        listItems: [String: any Encodable] = [:], mapEntries: [String: any Encodable] = [:],
        alternatives: [String: [any Encodable]] = [:], choices: [String: [String]] = [:], durations: [String] = []
    ) {
        self.listItems = listItems
        self.mapEntries = mapEntries
        self.alternatives = alternatives
        self.choices = choices
        self.durations = durations
    }
}

/// A configuration type that tells ``ConfigurationLoader`` its ``ConfigurationRules``, so that every caller of
/// `load` applies them.
public protocol RuledConfiguration: Codable {
    /// The rules of this configuration.
    static var configurationRules: ConfigurationRules { get }
}
