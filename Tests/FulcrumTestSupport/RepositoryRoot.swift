import Foundation

/// The root of the repository (the folder of `Package.swift`), two folders above this file, for tests that read
/// its files (`deploy/`, `Fuzz/Corpus/`, the built binary under `.build/`) or run commands from it.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
