import FulcrumEngine
import FulcrumOperations
import Testing

/// The dashboard's history: bounded per symbol and in symbols, one point per 30 s bucket, the last hour only.
@Suite("Parameter history for the dashboard's sparklines")
struct ParameterHistoryTests {
    static let second: Int64 = 1_000_000_000

    static func snapshot(at time: Int64, symbols: [String], sigma: Double) -> EngineSnapshot {
        var snapshot = EngineSnapshot()
        snapshot.symbols = symbols
        snapshot.annualVolatility = symbols.map { _ in sigma }
        snapshot.parameters = symbols.map { _ in nil }
        snapshot.lastBoundary = time
        return snapshot
    }

    @Test("A bucket keeps its last sample; the ring holds 120 points; the series spans at most the last hour")
    func bounded() {
        let history = ParameterHistory(symbolLimit: 8)
        let start: Int64 = 1_800_000_000 * Self.second
        // Three hours sampled every second: 10,800 samples into 120 slots.
        for step in 0..<10_800 {
            let time = start + Int64(step) * Self.second
            history.record(Self.snapshot(at: time, symbols: ["A"], sigma: Double(step)))
        }
        let series = history.series(of: "A")
        #expect(series.count == ParameterHistory.capacity)
        let newest = start + 10_799 * Self.second
        #expect(series.last?.timeNs == newest && series.last?.sigmaAnnual == 10_799)
        #expect(series.allSatisfy { $0.timeNs > newest - ParameterHistory.window })
        #expect(zip(series, series.dropFirst()).allSatisfy { $0.timeNs < $1.timeNs })
        // One point per 30 s bucket, each the bucket's last sample.
        let buckets = series.map { $0.timeNs / ParameterHistory.bucket }
        #expect(Set(buckets).count == buckets.count)
        for point in series.dropLast() {
            #expect((point.timeNs + Self.second) % ParameterHistory.bucket == 0, "\(point.timeNs) ends no bucket")
        }
        #expect(series.allSatisfy { $0.imf == nil && $0.mmf == nil }, "no parameters published yet")
        // The bound the documentation states: 56 bytes a point, under 7 KB a symbol.
        #expect(MemoryLayout<ParameterHistory.Point>.stride == 56)
        #expect(MemoryLayout<ParameterHistory.Point>.stride * ParameterHistory.capacity < 7 * 1_024)
    }

    @Test("Symbols past the limit are not kept; a snapshot before the first boundary records nothing")
    func symbolLimit() {
        let history = ParameterHistory(symbolLimit: 2)
        var first = Self.snapshot(at: 0, symbols: ["A", "B", "C"], sigma: 0.5)
        first.lastBoundary = nil
        history.record(first)
        #expect(history.series(of: "A").isEmpty)
        history.record(Self.snapshot(at: 60 * Self.second, symbols: ["A", "B", "C"], sigma: .nan))
        #expect(history.series(of: "A").count == 1 && history.series(of: "B").count == 1)
        #expect(history.series(of: "C").isEmpty)
        #expect(history.series(of: "A").first?.sigmaAnnual == nil, "a σ that is not finite is null")
    }
}
