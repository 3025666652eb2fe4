import Foundation
import Testing
@testable import RiskEstimation

@Suite("Average daily traded notional")
struct TradedVolumeTests {
    static let second: Int64 = 1_000_000_000

    @Test("A steady trade rate gives back its daily notional, before and after one time constant")
    func steadyRate() {
        var volume = TradedVolume(timeConstant: 86_400 * Self.second, minimumObservation: 3_600 * Self.second)
        // 1,000 notional every 10 s = 8,640,000 a day.
        var time: Int64 = 1_700_000_000 * Self.second
        let start = time
        var checked = 0
        for step in 1...(3 * 8_640) {
            volume.record(asset: 0, notional: 1_000, timestamp: time)
            time += 10 * Self.second
            if step % 2_000 == 0, time - start >= 3_600 * Self.second {
                let adv = volume.averageDailyNotional(asset: 0, now: time - 10 * Self.second)
                // Discrete arrivals vs a continuous rate: within 0.1 %.
                #expect(abs((adv ?? 0) / 8_640_000 - 1) < 1e-3, "step \(step): \(String(describing: adv))")
                checked += 1
            }
        }
        #expect(checked >= 10)
    }

    @Test("No estimate before the minimum observation time; bad notionals and old trades are ignored")
    func guards() {
        var volume = TradedVolume(timeConstant: 86_400 * Self.second, minimumObservation: 60 * Self.second)
        volume.record(asset: 2, notional: 500, timestamp: 100 * Self.second)
        #expect(volume.averageDailyNotional(asset: 2, now: 130 * Self.second) == nil)
        #expect(volume.averageDailyNotional(asset: 0, now: 1_000 * Self.second) == nil)
        let before = volume.averageDailyNotional(asset: 2, now: 200 * Self.second)
        volume.record(asset: 2, notional: .nan, timestamp: 150 * Self.second)
        volume.record(asset: 2, notional: -5, timestamp: 150 * Self.second)
        volume.record(asset: 2, notional: 1e9, timestamp: 50 * Self.second)
        #expect(volume.averageDailyNotional(asset: 2, now: 200 * Self.second) == before)
        #expect(before != nil)
    }

    @Test("The decay factor stays within two ulps of exp(−Δ/τ) on both sides of the polynomial's range")
    func decayMatchesExp() {
        let volume = TradedVolume(timeConstant: 86_400 * Self.second)
        var gap: Int64 = 1
        while gap < 40 * 86_400 * Self.second {
            let exact = Foundation.exp(-Double(gap) / Double(86_400 * Self.second))
            let decay = volume.decay(from: 1_000, to: 1_000 + gap)
            #expect(abs(decay - exact) <= 2 * exact.ulp, "gap \(gap) ns: \(decay) vs \(exact)")
            gap = gap * 3 + 1
        }
        #expect(volume.decay(from: 5, to: 5) == 1)
        #expect(volume.decay(from: 6, to: 5) == 1)
    }
}
