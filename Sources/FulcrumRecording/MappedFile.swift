#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory; unmapped when released.
///
/// Reading a recording or a CSV this way touches each page once and copies nothing, which is what lets a
/// backtest replay faster than it could read through buffered I/O.
public final class MappedFile {
    /// The file's path.
    public let path: String
    /// The file's bytes, valid as long as this object lives.
    public let bytes: UnsafeRawBufferPointer

    /// Maps `path`. Throws `.io` naming the path and the system error.
    public init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Self.failure("cannot open", path: path) }
        defer { _ = POSIX.close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Self.failure("cannot stat", path: path) }
        let size = Int(status.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw Self.failure("cannot map", path: path)
        }
        _ = madvise(address, size, MADV_SEQUENTIAL)
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }

    static func failure(_ what: String, path: String) -> RecordingError {
        let reason = String(cString: strerror(errno))
        return RecordingError(code: .io, message: "\(what) \(path): \(reason)", context: ["path": path])
    }
}

/// The POSIX calls under names that do not collide with methods called `close` and `write`.
public enum POSIX {
    /// `close(2)`.
    @inline(__always)
    public static func close(_ descriptor: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(descriptor)
        #elseif canImport(Musl)
        Musl.close(descriptor)
        #else
        Darwin.close(descriptor)
        #endif
    }

    /// `write(2)`.
    @inline(__always)
    public static func write(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
        #elseif canImport(Musl)
        Musl.write(descriptor, bytes, count)
        #else
        Darwin.write(descriptor, bytes, count)
        #endif
    }
}
