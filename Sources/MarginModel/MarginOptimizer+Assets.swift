extension MarginOptimizer {
    /// Adds an asset that appeared after start (a feed discovered a new symbol); returns its index.
    ///
    /// Its overrides, if configured, apply from the first update; its governance memory starts
    /// empty, so the first update publishes the target at once.
    /// - Throws: `.unknownAsset` if the symbol is already listed.
    @discardableResult
    public mutating func addAsset(symbol: String) throws -> Int {
        guard assetIndex[symbol] == nil else {
            throw MarginModelError(code: .unknownAsset, message: "asset \(symbol) is already listed",
                                   context: ["field": "symbols"])
        }
        let setting = ResolvedAssetSettings(symbol: symbol, configuration: configuration)
        let fallback = fallbackByTailProbability[setting.tailProbability]
            ?? ParametricTail(tailProbability: setting.tailProbability,
                              degreesOfFreedom: configuration.coverage.fallbackDegreesOfFreedom,
                              referenceSampleSize: configuration.coverage.fallbackReferenceSampleSize)
        fallbackByTailProbability[setting.tailProbability] = fallback
        assetIndex[symbol] = symbols.count
        settings.append(setting)
        fallbacks.append(fallback)
        symbols.append(symbol)
        states.append(AssetMarginState())
        caches.append(ResidualTailCache())
        horizonCaches.append(HorizonTailCache())
        return symbols.count - 1
    }
}
