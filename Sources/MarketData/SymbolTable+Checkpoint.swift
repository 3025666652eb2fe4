extension SymbolTable {
    /// Every name in identifier order (`names[i]` has identifier `i`): all a table needs to be rebuilt exactly.
    public var names: [String] {
        (0..<count).map { name(of: UInt32($0)) ?? "" }
    }

    /// Rebuilds a table from ``names`` written by an earlier table: the configuration's allow-list first, then the
    /// remaining names interned in order, so every name gets back its identifier and the probing layout is the
    /// one the original table had.
    ///
    /// Throws ``MarketDataError/Code/invalidCheckpoint`` when the names do not start with the allow-list in its
    /// order, a name is not acceptable, a name repeats, or the discovery cap is too small for them.
    public init(kind: Kind, configuration: SymbolTableConfiguration, restoring names: [String],
                context: String) throws(MarketDataError) {
        self.init(kind: kind, configuration: configuration)
        for (index, name) in names.enumerated() {
            if index < count {
                guard self.name(of: UInt32(index)) == name else {
                    throw MarketDataError(
                        code: .invalidCheckpoint,
                        message: "checkpointed \(context) #\(index) is '\(name)' but the allow-list has "
                            + "'\(self.name(of: UInt32(index)) ?? "")' there; the allow-list changed",
                        context: ["field": context])
                }
                continue
            }
            let result = Array(name.utf8).withUnsafeBytes { intern($0) }
            guard case .inserted(let id) = result, Int(id) == index else {
                throw MarketDataError(
                    code: .invalidCheckpoint,
                    message: "checkpointed \(context) #\(index) '\(name)' cannot be restored (\(result)); "
                        + "the allow-list or the discovery cap changed, or the name repeats",
                    context: ["field": context])
            }
        }
        guard count == names.count else {
            throw MarketDataError(
                code: .invalidCheckpoint,
                message: "the checkpoint has \(names.count) \(context) names but the allow-list alone has \(count)",
                context: ["field": context])
        }
    }
}
