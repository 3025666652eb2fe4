import FulcrumSettings
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
}
