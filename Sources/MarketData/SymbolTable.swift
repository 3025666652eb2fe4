/// Interns names (symbols or venues) given as raw bytes into dense identifiers `0, 1, 2, …`.
///
/// Lookup of a known name hashes its bytes (8 at a time) and probes an open-addressing table (linear probing,
/// load factor ≤ ½) whose slots hold the 32-bit hash tag and the entry index, then compares the stored bytes:
/// no allocation, no `String`. Only inserting a new name appends to the backing arrays. ``intern(_:)`` first
/// consults a small direct-mapped cache of recently seen names of up to 16 bytes, held by value, so that the
/// few names a feed repeats are found without probing the table.
///
/// Accepted names are 1 … `maximumNameLength` bytes of printable ASCII without spaces (0x21 … 0x7E); the
/// configuration decides between an allow-list and discovery up to a cap (see ``SymbolTableConfiguration``).
public struct SymbolTable: Sendable {
    /// What the table holds; selects the rejection reasons it reports.
    public enum Kind: Sendable, Hashable {
        /// Instrument symbols: ``RejectionReason/unknownSymbol``, ``RejectionReason/symbolCapExceeded``,
        /// ``RejectionReason/invalidSymbol``.
        case symbol
        /// Venues: ``RejectionReason/unknownVenue``, ``RejectionReason/venueCapExceeded``,
        /// ``RejectionReason/invalidVenue``.
        case venue
    }

    /// The result of ``intern(_:)``.
    public enum InternResult: Sendable, Hashable {
        /// The name was already known and has this identifier.
        case existing(UInt32)
        /// The name was new and got this identifier.
        case inserted(UInt32)
        /// The name is not accepted.
        case rejected(RejectionReason)
    }

    private struct Entry: Sendable {
        var offset: Int32
        var length: Int32
    }

    /// A name of at most ``recentNameLength`` bytes held by value (see ``nameKey(_:count:)``) with its
    /// identifier plus one in the low 32 bits and its length in the high ones; all zero when empty.
    private struct RecentName: Sendable {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var lengthAndID: UInt64 = 0
    }

    /// What the table holds.
    public let kind: Kind
    /// The configuration the table was created with.
    public let configuration: SymbolTableConfiguration
    private var storage: [UInt8] = []
    private var entries: [Entry] = []
    private var slots: [UInt64]
    private let slotMask: Int
    private let allowsDiscovery: Bool
    /// ``SymbolTableConfiguration/maximumDiscovered`` clamped to the range `validate` allows, so that an
    /// unvalidated configuration can neither trap nor outgrow the slot array.
    private let discoveryLimit: Int
    private var discoveredCount = 0
    /// A direct-mapped cache of recently interned short names in front of the hash table: a hit costs one
    /// multiply and two word compares, with no probing and no access to the stored bytes. Names never leave
    /// the table and keep their identifiers, so an entry never goes stale.
    private var recent: [RecentName] = Array(repeating: RecentName(), count: SymbolTable.recentCapacity)

    /// Names up to this many bytes are cached in ``recent``: two overlapping 8-byte loads cover them whole.
    static let recentNameLength = 16
    /// Entries in the recent-name cache: `2^recentIndexBits`, indexed by the top bits of a multiplicative hash.
    static let recentIndexBits = 8
    /// Entries in the recent-name cache.
    static let recentCapacity = 1 << recentIndexBits

    /// Creates a table, interning the allow-list first (its names get identifiers `0..<allowList.count`).
    /// Allow-list names that are not valid names are skipped; ``SymbolTableConfiguration/validate(keyPrefix:)``
    /// reports them.
    public init(kind: Kind = .symbol, configuration: SymbolTableConfiguration = SymbolTableConfiguration()) {
        self.kind = kind
        self.configuration = configuration
        allowsDiscovery = configuration.allowList.isEmpty
        discoveryLimit = min(max(configuration.maximumDiscovered, 0), 1 << 20)
        let capacity = allowsDiscovery ? max(discoveryLimit, 1) : configuration.allowList.count
        var slotCount = 8
        while slotCount < 2 &* capacity { slotCount &<<= 1 }
        slots = Array(repeating: 0, count: slotCount)
        slotMask = slotCount &- 1
        entries.reserveCapacity(capacity)
        storage.reserveCapacity(min(capacity, 4096) &* 16)
        for name in configuration.allowList {
            let bytes = Array(name.utf8)
            guard Self.isValidName(bytes, maximumLength: configuration.maximumNameLength) else { continue }
            bytes.withUnsafeBytes { raw in
                if lookup(raw) == nil { _ = insert(raw, hash: Self.hash(raw)) }
            }
        }
    }

    /// Number of names in the table.
    public var count: Int { entries.count }

    /// The identifier of a known name, or `nil`. Never allocates.
    public func lookup(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        find(bytes, hash: Self.hash(bytes))
    }

    /// The identifier of `bytes`, inserting the name if the configuration allows it.
    ///
    /// Allocation happens only when a new name is inserted.
    public mutating func intern(_ bytes: UnsafeRawBufferPointer) -> InternResult {
        let count = bytes.count
        guard count > 0, count <= Self.recentNameLength, let base = bytes.baseAddress else {
            return internUncached(bytes)
        }
        let (low, high) = Self.nameKey(base, count: count)
        let tagged = UInt64(truncatingIfNeeded: count) &<< 32
        let mixed = (low ^ (high &>> 1) ^ tagged) &* 0x9E37_79B9_7F4A_7C15
        let slot = Int(truncatingIfNeeded: mixed &>> UInt64(64 &- Self.recentIndexBits))
        let cached = recent[slot]
        if cached.lengthAndID & 0xFFFF_FFFF_0000_0000 == tagged && cached.low == low && cached.high == high {
            return .existing(UInt32(truncatingIfNeeded: cached.lengthAndID) &- 1)
        }
        let result = internUncached(bytes)
        switch result {
        case .existing(let id), .inserted(let id):
            recent[slot] = RecentName(low: low, high: high, lengthAndID: tagged | UInt64(id &+ 1))
        case .rejected:
            break
        }
        return result
    }

    /// Two words that, with the length, identify a name of 1 … ``recentNameLength`` bytes exactly: the first
    /// and last 8 bytes (overlapping) from 8 bytes on, the first and last 4 from 4 bytes on, else the first,
    /// middle and last byte — the same loads as ``hash(_:)``, each covering every byte of the name.
    @inline(__always)
    static func nameKey(_ base: UnsafeRawPointer, count: Int) -> (UInt64, UInt64) {
        if count >= 8 {
            return (base.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                    base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
        }
        if count >= 4 {
            let first = UInt64(base.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
            let last = UInt64(base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
            return (first | last &<< 32, 0)
        }
        let b0 = UInt64(base.load(fromByteOffset: 0, as: UInt8.self))
        let b1 = UInt64(base.load(fromByteOffset: count &>> 1, as: UInt8.self))
        let b2 = UInt64(base.load(fromByteOffset: count &- 1, as: UInt8.self))
        return (b0 | b1 &<< 8 | b2 &<< 16, 0)
    }

    /// ``intern(_:)`` through the hash table alone.
    private mutating func internUncached(_ bytes: UnsafeRawBufferPointer) -> InternResult {
        let hash = Self.hash(bytes)
        if let id = find(bytes, hash: hash) { return .existing(id) }
        guard Self.isValidName(bytes, maximumLength: configuration.maximumNameLength) else {
            return .rejected(kind == .symbol ? .invalidSymbol : .invalidVenue)
        }
        guard allowsDiscovery else { return .rejected(kind == .symbol ? .unknownSymbol : .unknownVenue) }
        guard discoveredCount < discoveryLimit else {
            return .rejected(kind == .symbol ? .symbolCapExceeded : .venueCapExceeded)
        }
        discoveredCount &+= 1
        return .inserted(insert(bytes, hash: hash))
    }

    /// The name of an identifier, for output (allocates a `String`).
    public func name(of id: UInt32) -> String? {
        guard Int(id) < entries.count else { return nil }
        let entry = entries[Int(id)]
        let start = Int(entry.offset)
        return String(decoding: storage[start..<(start &+ Int(entry.length))], as: UTF8.self)
    }

    /// The name of a symbol identifier.
    public func name(of id: SymbolID) -> String? { name(of: id.rawValue) }

    /// The name of a venue identifier.
    public func name(of id: VenueID) -> String? { name(of: id.rawValue) }

    /// The identifier of a name given as a `String`, if known (convenience; not for the hot path).
    public func id(of name: String) -> UInt32? {
        Array(name.utf8).withUnsafeBytes { lookup($0) }
    }

    /// Whether `bytes` is an acceptable name: 1 … `maximumLength` bytes in 0x21 … 0x7E.
    public static func isValidName<C: Collection>(_ bytes: C, maximumLength: Int) -> Bool where C.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
        for byte in bytes where byte < 0x21 || byte > 0x7E { return false }
        return true
    }

    // MARK: - Hashing and probing

    /// A 64-bit multiply–xorshift hash of the bytes, 8 bytes per step; the tail is read with overlapping
    /// loads (the last 8, or two overlapping 4-byte words) so that no byte-by-byte loop runs for names of 4 bytes
    /// or more. The length is mixed in first, so overlapping reads cannot make different lengths collide
    /// systematically; equality is always confirmed on the stored bytes.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let count = bytes.count
        var h: UInt64 = (0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)) &* 0xBF58_476D_1CE4_E5B9
        guard let base = bytes.baseAddress, count > 0 else { return h ^ (h &>> 32) }
        @inline(__always) func mix(_ word: UInt64) {
            h = (h ^ word) &* 0x94D0_49BB_1331_11EB
            h ^= h &>> 29
        }
        if count >= 8 {
            var i = 0
            while count &- i > 8 {
                mix(base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i &+= 8
            }
            mix(base.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self))
        } else if count >= 4 {
            let low = UInt64(base.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
            let high = UInt64(base.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
            mix(low | high &<< 32)
        } else {
            let b0 = UInt64(base.load(fromByteOffset: 0, as: UInt8.self))
            let b1 = UInt64(base.load(fromByteOffset: count &>> 1, as: UInt8.self))
            let b2 = UInt64(base.load(fromByteOffset: count &- 1, as: UInt8.self))
            mix(b0 | b1 &<< 8 | b2 &<< 16)
        }
        h = h &* 0xBF58_476D_1CE4_E5B9
        return h ^ (h &>> 32)
    }

    /// Whether `count` bytes at `a` and `b` are equal, with the same overlapping loads as ``hash(_:)``.
    @inline(__always)
    static func bytesEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, count: Int) -> Bool {
        if count >= 8 {
            var i = 0
            while count &- i > 8 {
                if a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
                i &+= 8
            }
            return a.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        if count >= 4 {
            return a.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
                    == b.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
                    == b.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        }
        for i in 0..<count
        where a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) {
            return false
        }
        return true
    }

    private func find(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> UInt32? {
        let tag = hash &>> 32
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        return slots.withUnsafeBufferPointer { slotBuffer -> UInt32? in
            entries.withUnsafeBufferPointer { entryBuffer -> UInt32? in
                storage.withUnsafeBytes { stored -> UInt32? in
                    while true {
                        let value = slotBuffer[slot]
                        if value == 0 { return nil }
                        if value &>> 32 == tag {
                            let index = Int(truncatingIfNeeded: value & 0xFFFF_FFFF) &- 1
                            let entry = entryBuffer[index]
                            if Int(entry.length) == bytes.count {
                                guard let mine = stored.baseAddress, let other = bytes.baseAddress else {
                                    return UInt32(truncatingIfNeeded: index)
                                }
                                if Self.bytesEqual(mine + Int(entry.offset), other, count: bytes.count) {
                                    return UInt32(truncatingIfNeeded: index)
                                }
                            }
                        }
                        slot = (slot &+ 1) & slotMask
                    }
                }
            }
        }
    }

    private mutating func insert(_ bytes: UnsafeRawBufferPointer, hash: UInt64) -> UInt32 {
        let index = entries.count
        entries.append(Entry(offset: Int32(truncatingIfNeeded: storage.count), length: Int32(bytes.count)))
        storage.append(contentsOf: bytes)
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while slots[slot] != 0 { slot = (slot &+ 1) & slotMask }
        slots[slot] = (hash &>> 32) &<< 32 | UInt64(index &+ 1)
        return UInt32(truncatingIfNeeded: index)
    }
}
