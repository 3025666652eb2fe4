import Testing
import ZeroMQ

@Suite("Endpoint rule: transports, hosts and port ranges, binding or connecting")
struct EndpointRuleTests {
    @Test("Accepted where libzmq binds or connects as written", arguments: [
        ("tcp://127.0.0.1:7601", true), ("tcp://127.0.0.1:7601", false), ("tcp://*:1", true),
        ("tcp://127.0.0.1:65535", false), ("tcp://127.0.0.1:*", true), ("tcp://[::1]:5555", false),
        ("tcp://eth0:5555", true), ("tcp://feed-host.example:5555", false),
        ("tcp://127.0.0.1:0;10.0.0.1:5555", false), ("ipc:///tmp/fulcrum.ipc", true),
        ("inproc://fulcrum-simulator", false),
    ])
    func accepted(endpoint: String, binding: Bool) {
        #expect(EndpointRule.problem(in: endpoint, binding: binding) == nil)
    }

    @Test("Refused, saying why", arguments: [
        ("tcp://127.0.0.1:99999", true, "99999 is not in 1 … 65535"),
        ("tcp://127.0.0.1:65536", false, "65536 is not in 1 … 65535"),
        ("tcp://127.0.0.1:0", true, "0 is not in 1 … 65535"),
        ("tcp://127.0.0.1:-1", true, "-1 is not in 1 … 65535"),
        ("tcp://127.0.0.1:12a", false, "12a is not in 1 … 65535"),
        ("tcp://127.0.0.1:000007601", true, "is not in 1 … 65535"),
        ("tcp://127.0.0.1:", true, "(empty) is not in 1 … 65535"),
        ("tcp://127.0.0.1:*", false, "only for a socket that binds"),
        ("tcp://127.0.0.1", true, "no port"),
        ("tcp://:7601", true, "no host"),
        ("tcp://127.0.0.1 :7601", true, "whitespace"),
        ("udp://127.0.0.1:7601", true, "not a tcp://"),
        ("inproc://", false, "no address"),
    ])
    func refused(endpoint: String, binding: Bool, fragment: String) {
        let problem = EndpointRule.problem(in: endpoint, binding: binding)
        #expect(problem?.contains(fragment) == true, "\(endpoint): \(problem ?? "accepted")")
    }
}
