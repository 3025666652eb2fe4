import FulcrumEngine
import RiskEstimation

extension CheckpointMetadata {
    /// Checks that the metadata says what the decoded `payload` says wherever both say it: the steps run, the
    /// number of assets, the last closed boundary, the grid interval and the lateness. The checksums show that
    /// neither changed since it was written; this shows that they were written of the same state. A disagreement
    /// is `.corrupt`, naming the field and both values.
    func check(against payload: RiskEngine.CheckpointPayload) throws(CheckpointError) {
        let estimator = payload.estimator
        // Compared as decimal text: exact for integers, and one list for fields of different types.
        let fields: [(name: String, metadata: String, payload: String)] = [
            ("steps run", "\(stepsRun)", "\(payload.stepsRun)"),
            ("asset count", "\(assetCount)", "\(payload.symbols.count)"),
            ("boundary", "\(boundary)", estimator.lastBoundary.map { "\($0)" } ?? "none"),
            ("grid interval", "\(gridInterval)", "\(estimator.configuration.gridInterval)"),
            ("lateness", "\(lateness)", "\(estimator.configuration.lateness)"),
        ]
        for field in fields where field.metadata != field.payload {
            throw CheckpointError(code: .corrupt,
                                  message: "the metadata and the payload disagree on the \(field.name): "
                                      + "\(field.metadata) in the metadata, \(field.payload) in the payload")
        }
    }
}
