import Testing
@testable import FulcrumService

/// The publisher's linger is what a stalled subscriber can hold the exit up by: it must be bounded.
@Suite("Shutdown: the publisher's linger is bounded")
struct ShutdownLingerConfigurationTests {
    @Test("A negative linger (libzmq: wait forever) is refused, naming the key; zero is allowed")
    func negativeLingerRefused() {
        let refused = ConfigurationLoaderTests.error(ConfigurationLoaderTests.feed
                                                     + "publisher:\n  lingerMilliseconds: -1\n")
        #expect(refused?.key == "publisher.lingerMilliseconds" && refused?.value == "-1")
        #expect(ConfigurationLoaderTests.error(ConfigurationLoaderTests.feed + "publisher:\n  lingerMilliseconds: 0\n")
                == nil)
    }
}
