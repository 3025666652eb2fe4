// Short names for the generated wire types of protocols/fulcrum/v1 (the generated files carry
// the `Fulcrum_V1_` prefix that swift-protobuf derives from the package name).

/// An inbound price observation (`fulcrum.v1.Tick`).
public typealias WireTick = Fulcrum_V1_Tick
/// One asset's published risk parameters (`fulcrum.v1.RiskParameters`).
public typealias WireRiskParameters = Fulcrum_V1_RiskParameters
/// The portfolio-margin inputs (`fulcrum.v1.PortfolioUpdate`).
public typealias WirePortfolioUpdate = Fulcrum_V1_PortfolioUpdate
/// The publisher's liveness signal (`fulcrum.v1.Heartbeat`).
public typealias WireHeartbeat = Fulcrum_V1_Heartbeat
