import Foundation

extension FileHandle {
    /// Everything until end of file, read on a thread of its own: a blocking read on the cooperative pool (two
    /// threads on a two-core machine) would starve the test's other tasks, such as the one feeding the process.
    public func readToEndOnThread() async -> Data {
        await withCheckedContinuation { continuation in
            let handle = self
            Thread.detachNewThread {
                continuation.resume(returning: handle.readDataToEndOfFile())
            }
        }
    }
}
