/// What this binary is: its version, the commit it was built from and the dependency versions it was built with.
///
/// `fulcrum --version` prints ``version``; `fulcrum version --verbose` adds the rest. The log's first line,
/// `/health` and the `fulcrum_build_info{version,commit}` gauge carry ``version`` and ``commit``, so an operator
/// can tell from any of them which build runs.
public enum BuildInfo {
    /// The release version (semantic versioning). Images are tagged with it.
    public static let version = "0.3.0"

    /// The git commit (12 hex digits; `-modified` when the tree had uncommitted changes; `unknown` when built
    /// outside a git checkout without `FULCRUM_COMMIT`).
    public static var commit: String { GeneratedBuildInfo.commit }

    /// Each dependency SwiftPM resolved for this build, by package identity, with its version (or revision).
    public static var dependencies: [(name: String, version: String)] { GeneratedBuildInfo.dependencies }

    /// `version (commit)`.
    public static var summary: String { "\(version) (\(commit))" }
}
