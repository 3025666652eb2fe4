/// Read-only access to an asset's standardized residuals zₜ = rₜ/σₜ₋₁, in chronological order.
///
/// The estimator keeps residuals in a ring buffer; `older` is the part from the oldest element to the end of the
/// storage and `newer` the part from the start of the storage to the newest element (either may be empty).
/// `totalAppended` counts every residual ever appended, so the optimizer can tell which residuals are new since
/// its last update and which have left the window, and refresh its tail selection incrementally.
/// The buffers must stay valid for the duration of `MarginOptimizer.update`; nothing is retained.
public struct ResidualWindow {
    /// Chronologically first part of the window.
    public var older: UnsafeBufferPointer<Double>
    /// Chronologically second part of the window; its last element is the newest residual.
    public var newer: UnsafeBufferPointer<Double>
    /// Residuals appended since the stream began (≥ `count`); the newest has sequence number totalAppended − 1.
    public var totalAppended: UInt64

    /// Creates a window over the two halves of a ring.
    public init(older: UnsafeBufferPointer<Double>, newer: UnsafeBufferPointer<Double>, totalAppended: UInt64) {
        self.older = older
        self.newer = newer
        self.totalAppended = totalAppended
    }

    /// A window with no residuals.
    public static var empty: ResidualWindow {
        ResidualWindow(older: UnsafeBufferPointer(start: nil, count: 0),
                       newer: UnsafeBufferPointer(start: nil, count: 0), totalAppended: 0)
    }

    /// Number of residuals in the window.
    public var count: Int { older.count + newer.count }

    /// The residual at chronological position `index` (0 = oldest).
    @inline(__always)
    subscript(index: Int) -> Double {
        index < older.count ? older[index] : newer[index - older.count]
    }
}
