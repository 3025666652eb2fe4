/// The largest rise of a margin over a look-back window: the n-day procyclicality measure of CCP practice.
///
/// For each step t whose value and the value in force at t − d are both scored, the rise is M(t) − M(t − d)
/// (margins are step functions, so M(t − d) is the value at the last step at or before t − d). Reported are the
/// largest absolute rise (fraction points) and the largest relative rise M(t)/M(t − d) − 1, with when it ended.
public struct ProcyclicalityMeasure: Sendable, Hashable {
    /// d, ns.
    public var windowNs: Int64
    /// Largest M(t) − M(t − d); nil when no pair of scored steps is d apart.
    public var largestIncrease: Double?
    /// Largest M(t)/M(t − d) − 1; nil likewise.
    public var largestRelativeIncrease: Double?
    /// The step t where the largest relative rise ended, ns.
    public var relativeIncreaseEndNs: Int64?

    /// Measures `values` at `times` (ascending) over window d; `scored(i)` says whether step i counts.
    public init(times: [Int64], values: [Double], windowNs: Int64, scored: (Int) -> Bool) {
        self.windowNs = windowNs
        var earlier = -1
        for index in times.indices {
            let cutoff = times[index] - windowNs
            while earlier + 1 < index, times[earlier + 1] <= cutoff { earlier += 1 }
            guard earlier >= 0, times[earlier] <= cutoff, scored(index), scored(earlier) else { continue }
            let now = values[index]
            let then = values[earlier]
            guard now.isFinite, then.isFinite, then > 0 else { continue }
            let rise = now - then
            let relative = now / then - 1
            if largestIncrease.map({ rise > $0 }) ?? true { largestIncrease = rise }
            if largestRelativeIncrease.map({ relative > $0 }) ?? true {
                largestRelativeIncrease = relative
                relativeIncreaseEndNs = times[index]
            }
        }
    }
}
