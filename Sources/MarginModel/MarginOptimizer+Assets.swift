extension MarginOptimizer {
    /// Adds an asset that appeared after start (a feed discovered a new symbol); returns its index.
    ///
    /// Its overrides, if configured, apply from the first update; its governance memory starts
    /// empty, so the first update publishes the target at once.
    /// - Throws: `.unknownAsset` if the symbol is already listed.
    @discardableResult
    public mutating func addAsset(symbol: String) throws -> Int {
        guard !symbols.contains(symbol) else {
            throw MarginModelError(code: .unknownAsset, message: "asset \(symbol) is already listed",
                                   context: "symbols")
        }
        let setting = ResolvedAssetSettings(symbol: symbol, configuration: configuration)
        let fallback = zip(settings, fallbacks).first { $0.0.tailProbability == setting.tailProbability }?.1
            ?? ParametricTail(tailProbability: setting.tailProbability,
                              degreesOfFreedom: configuration.coverage.fallbackDegreesOfFreedom,
                              referenceSampleSize: configuration.coverage.fallbackReferenceSampleSize)
        settings.append(setting)
        fallbacks.append(fallback)
        symbols.append(symbol)
        states.append(AssetMarginState())
        caches.append(ResidualTailCache())
        return symbols.count - 1
    }
}
