
/// The field values of one `fulcrum.v1.RiskParameters`, held without heap storage so that encoding them allocates
/// nothing (the generated message boxes its fields in a class instance and serializes into fresh storage).
///
/// ``encode(into:)`` writes the bytes `serializedBytes()` of the equivalent generated message gives: fields in
/// ascending number; a scalar only when it differs from its proto3 default (doubles compared by bit pattern, so
/// −0.0 is written and +0.0 is not); `inputs` always (the engine always sets it), `coverage` when present;
/// `reasons` packed; one length-delimited `MarginTier` per tier.
public struct RiskParametersFields<Reasons: Collection<Fulcrum_V1_Reason>, Tiers: Collection<Fulcrum_V1_MarginTier>> {
    /// Field 1.
    public var symbol: String
    /// Field 2.
    public var publisherEpoch: UInt64
    /// Field 3: grid boundary, event time.
    public var asOfNs: Int64
    /// Field 4.
    public var gridStep: UInt64
    /// Field 5.
    public var status: Fulcrum_V1_AssetStatus
    /// Field 6.
    public var price: Double
    /// Field 7 (unknown fields of the value are not written).
    public var inputs: Fulcrum_V1_ModelInputs
    /// Field 8.
    public var imf: Double
    /// Field 9.
    public var mmf: Double
    /// Field 10.
    public var maxLeverage: UInt32
    /// Field 11.
    public var imfTarget: Double
    /// Field 12.
    public var mmfTarget: Double
    /// Field 13.
    public var maxLeverageTarget: UInt32
    /// Field 14.
    public var mmfLong: Double
    /// Field 15.
    public var mmfShort: Double
    /// Field 16, in order.
    public var reasons: Reasons
    /// Field 17.
    public var etaSteps: UInt32
    /// Field 18.
    public var etaNs: Int64
    /// Field 19 (unknown fields of the values are not written).
    public var tiers: Tiers
    /// Field 20.
    public var configHash: UInt64
    /// Field 21 (unknown fields of the value are not written).
    public var coverage: Fulcrum_V1_Coverage?
    /// Field 22: the asset's liquidation horizon.
    public var horizonNs: Int64

    /// Appends the encoded message to `writer`.

    /// Creates the fields of one message.
    public init(symbol: String,
                publisherEpoch: UInt64,
                asOfNs: Int64,
                gridStep: UInt64,
                status: Fulcrum_V1_AssetStatus,
                price: Double,
                inputs: Fulcrum_V1_ModelInputs,
                imf: Double,
                mmf: Double,
                maxLeverage: UInt32,
                imfTarget: Double,
                mmfTarget: Double,
                maxLeverageTarget: UInt32,
                mmfLong: Double,
                mmfShort: Double,
                reasons: Reasons,
                etaSteps: UInt32,
                etaNs: Int64,
                tiers: Tiers,
                configHash: UInt64,
                coverage: Fulcrum_V1_Coverage?,
                horizonNs: Int64) {
        self.symbol = symbol
        self.publisherEpoch = publisherEpoch
        self.asOfNs = asOfNs
        self.gridStep = gridStep
        self.status = status
        self.price = price
        self.inputs = inputs
        self.imf = imf
        self.mmf = mmf
        self.maxLeverage = maxLeverage
        self.imfTarget = imfTarget
        self.mmfTarget = mmfTarget
        self.maxLeverageTarget = maxLeverageTarget
        self.mmfLong = mmfLong
        self.mmfShort = mmfShort
        self.reasons = reasons
        self.etaSteps = etaSteps
        self.etaNs = etaNs
        self.tiers = tiers
        self.configHash = configHash
        self.coverage = coverage
        self.horizonNs = horizonNs
    }

    /// Writes the message's fields.
    public func encode(into writer: inout ProtobufWriter) {
        if !symbol.isEmpty { writer.write(1, string: symbol) }
        if publisherEpoch != 0 { writer.write(2, uint64: publisherEpoch) }
        if asOfNs != 0 { writer.write(3, int64: asOfNs) }
        if gridStep != 0 { writer.write(4, uint64: gridStep) }
        if status.rawValue != 0 { writer.write(5, enumRawValue: status.rawValue) }
        if price.bitPattern != 0 { writer.write(6, double: price) }
        writer.writeMessage(7) { Self.encode(inputs, into: &$0) }
        if imf.bitPattern != 0 { writer.write(8, double: imf) }
        if mmf.bitPattern != 0 { writer.write(9, double: mmf) }
        if maxLeverage != 0 { writer.write(10, uint32: maxLeverage) }
        if imfTarget.bitPattern != 0 { writer.write(11, double: imfTarget) }
        if mmfTarget.bitPattern != 0 { writer.write(12, double: mmfTarget) }
        if maxLeverageTarget != 0 { writer.write(13, uint32: maxLeverageTarget) }
        if mmfLong.bitPattern != 0 { writer.write(14, double: mmfLong) }
        if mmfShort.bitPattern != 0 { writer.write(15, double: mmfShort) }
        if !reasons.isEmpty { writer.writePacked(16, enumRawValues: reasons.lazy.map { $0.rawValue }) }
        if etaSteps != 0 { writer.write(17, uint32: etaSteps) }
        if etaNs != 0 { writer.write(18, int64: etaNs) }
        for tier in tiers { writer.writeMessage(19) { Self.encode(tier, into: &$0) } }
        if configHash != 0 { writer.write(20, fixed64: configHash) }
        if let coverage { writer.writeMessage(21) { Self.encode(coverage, into: &$0) } }
        if horizonNs != 0 { writer.write(22, int64: horizonNs) }
    }

    /// The body of a `fulcrum.v1.ModelInputs`.
    static func encode(_ inputs: Fulcrum_V1_ModelInputs, into writer: inout ProtobufWriter) {
        if inputs.sigmaStep.bitPattern != 0 { writer.write(1, double: inputs.sigmaStep) }
        if inputs.sigmaAnnual.bitPattern != 0 { writer.write(2, double: inputs.sigmaAnnual) }
        if inputs.sigmaHorizon.bitPattern != 0 { writer.write(3, double: inputs.sigmaHorizon) }
        if inputs.ess.bitPattern != 0 { writer.write(4, double: inputs.ess) }
        if inputs.residualCount != 0 { writer.write(5, uint32: inputs.residualCount) }
        if inputs.stalenessNs != 0 { writer.write(6, int64: inputs.stalenessNs) }
        if inputs.stressedSigmaStep.bitPattern != 0 { writer.write(7, double: inputs.stressedSigmaStep) }
        if inputs.markPrice.bitPattern != 0 { writer.write(8, double: inputs.markPrice) }
        if inputs.indexPrice.bitPattern != 0 { writer.write(9, double: inputs.indexPrice) }
        if inputs.basis.bitPattern != 0 { writer.write(10, double: inputs.basis) }
        if inputs.openInterestNotional.bitPattern != 0 { writer.write(11, double: inputs.openInterestNotional) }
        if inputs.liquidatedNotional.bitPattern != 0 { writer.write(12, double: inputs.liquidatedNotional) }
        if inputs.bookDepthNotional.bitPattern != 0 { writer.write(13, double: inputs.bookDepthNotional) }
        if inputs.liquiditySource.rawValue != 0 { writer.write(14, enumRawValue: inputs.liquiditySource.rawValue) }
        if inputs.openInterestLowerCap.bitPattern != 0 { writer.write(15, double: inputs.openInterestLowerCap) }
        if inputs.openInterestUpperCap.bitPattern != 0 { writer.write(16, double: inputs.openInterestUpperCap) }
    }

    /// The body of a `fulcrum.v1.MarginTier`.
    static func encode(_ tier: Fulcrum_V1_MarginTier, into writer: inout ProtobufWriter) {
        if tier.notionalFloor.bitPattern != 0 { writer.write(1, double: tier.notionalFloor) }
        if tier.notionalCap.bitPattern != 0 { writer.write(2, double: tier.notionalCap) }
        if tier.imf.bitPattern != 0 { writer.write(3, double: tier.imf) }
        if tier.mmf.bitPattern != 0 { writer.write(4, double: tier.mmf) }
        if tier.maxLeverage != 0 { writer.write(5, uint32: tier.maxLeverage) }
        if tier.maintenanceDeduction.bitPattern != 0 { writer.write(6, double: tier.maintenanceDeduction) }
    }

    /// The body of a `fulcrum.v1.Coverage`.
    static func encode(_ coverage: Fulcrum_V1_Coverage, into writer: inout ProtobufWriter) {
        if coverage.observations != 0 { writer.write(1, uint64: coverage.observations) }
        if coverage.exceptions != 0 { writer.write(2, uint64: coverage.exceptions) }
        if coverage.exceptionRate.bitPattern != 0 { writer.write(3, double: coverage.exceptionRate) }
        if coverage.targetRate.bitPattern != 0 { writer.write(4, double: coverage.targetRate) }
        if coverage.kupiecLr.bitPattern != 0 { writer.write(5, double: coverage.kupiecLr) }
        if coverage.kupiecPValue.bitPattern != 0 { writer.write(6, double: coverage.kupiecPValue) }
        if coverage.zone.rawValue != 0 { writer.write(7, enumRawValue: coverage.zone.rawValue) }
    }
}

/// The engine's case: reasons and tiers in arrays it reuses from update to update.
public typealias RiskParametersArrays = RiskParametersFields<[Fulcrum_V1_Reason], [Fulcrum_V1_MarginTier]>

extension RiskParametersFields where Reasons == [Fulcrum_V1_Reason], Tiers == [Fulcrum_V1_MarginTier] {
    /// ``encode(into:)`` compiled for arrays inside this module, so that a caller in another module runs
    /// specialized code: a generic call across modules looks up the collections' type metadata and iterates
    /// through witness tables on every update, several times the cost of the encoding itself.
    public func encodeArrays(into writer: inout ProtobufWriter) {
        encode(into: &writer)
    }
}
