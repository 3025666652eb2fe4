import Foundation
import Testing
@testable import RiskFeed

@Suite("Publisher configuration")
struct PublisherConfigurationTests {
    @Test("Codes the keys of the configuration file's publisher section, the heartbeat in nanoseconds, nothing else")
    func coding() throws {
        var configuration = PublisherConfiguration()
        configuration.heartbeatInterval = .milliseconds(250)
        configuration.lingerMilliseconds = 0
        configuration.epoch = 7
        let data = try JSONEncoder().encode(configuration)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object.keys.sorted() == ["heartbeatInterval", "lingerMilliseconds", "publishEndpoint", "publishJSON",
                                         "sendHighWaterMark", "snapshotEndpoint"])
        #expect((object["heartbeatInterval"] as? NSNumber)?.int64Value == 250_000_000)
        let decoded = try JSONDecoder().decode(PublisherConfiguration.self, from: data)
        #expect(decoded.heartbeatInterval == .milliseconds(250) && decoded.$heartbeatInterval == 250_000_000)
        #expect(decoded.lingerMilliseconds == 0 && decoded.publishEndpoint == configuration.publishEndpoint)
        #expect(decoded.epoch == 0 && decoded.curve == nil, "the run-time settings are not coded")
    }
}
