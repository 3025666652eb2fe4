import FulcrumProtocol
import MarginModel

extension RiskEngine {
    /// The wire reasons of an asset's `reasons` and `status`, as its `RiskParameters.reasons` carries them (`warming`
    /// first when warming, then in code-map order, each code once): for readers that show the same reasons as the
    /// wire (`/parameters`, the dashboard), in the wire's vocabulary.
    public static func wireReasons(_ reasons: MarginReasons, status: MarginStatus) -> [Fulcrum_V1_Reason] {
        var wire: [Fulcrum_V1_Reason] = []
        appendReasons(reasons, status: status, to: &wire)
        return wire
    }
}
