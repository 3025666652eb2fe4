import FulcrumSettings
import MarginModel
@testable import FulcrumService
import Testing

/// The health section's stress thread count: read from the file, 0 for the processor count, bounded.
@Suite("Health settings")
struct HealthSettingsTests {
    @Test("health.stressThreads: 0 is the processor count, a count is passed on, above 64 is refused")
    func stressThreads() throws {
        #expect(HealthSettings().stressThreads == 0)
        #expect(HealthSettings().stressThreadCount == nil)
        let two = try ConfigurationLoaderTests.load(ConfigurationLoaderTests.feed + "health:\n  stressThreads: 2\n")
        #expect(two.health.stressThreads == 2)
        #expect(two.health.stressThreadCount == 2)
        for refused in [-1, 65] {
            let error = ConfigurationLoaderTests.error(ConfigurationLoaderTests.feed
                                                       + "health:\n  stressThreads: \(refused)\n")
            #expect(error?.key == "health.stressThreads", "\(refused)")
        }
    }

    @Test("depth_from_book: true only when both sides of the live impact curve keep a usable sample")
    func depthFromBook() {
        let notionals = [10_000.0, 100_000, 1_000_000]
        let usable = ImpactCurve(notionals: notionals, longCost: [0.001, 0.002, 0.004],
                                 shortCost: [0.001, 0.003, 0.005])
        #expect(HealthMonitor.bookDepthUsable(usable))
        #expect(!HealthMonitor.bookDepthUsable(nil))
        let noBids = ImpactCurve(notionals: notionals, longCost: [.nan, .infinity, -1], shortCost: usable.shortCost)
        #expect(!HealthMonitor.bookDepthUsable(noBids), "the bid side falls back: not valued on the book")
        let noAsks = ImpactCurve(notionals: notionals, longCost: usable.longCost, shortCost: [.nan, .nan, .nan])
        #expect(!HealthMonitor.bookDepthUsable(noAsks))
    }
}
