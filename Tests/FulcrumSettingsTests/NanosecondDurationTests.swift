import Foundation
import FulcrumSettings
import Testing

@Suite("Nanosecond durations")
struct NanosecondDurationTests {
    struct Section: Codable, Equatable {
        @NanosecondDuration var timeout: Duration = .seconds(10)
    }

    @Test("A duration's nanoseconds are whole, rounded toward zero, with its sign, up to Int64's range")
    func nanoseconds() {
        #expect(NanosecondDuration(wrappedValue: .nanoseconds(-1_500_000_001)).projectedValue == -1_500_000_001)
        #expect(NanosecondDuration(wrappedValue: .nanoseconds(Int64.max)).projectedValue == Int64.max)
        #expect(NanosecondDuration(wrappedValue: .microseconds(1.0005)).projectedValue == 1_000)
    }

    @Test("A section codes its duration as the file writes it: an integer of nanoseconds")
    func coding() throws {
        var section = Section()
        section.timeout = .milliseconds(2_500)
        let text = String(decoding: try JSONEncoder().encode(section), as: UTF8.self)
        #expect(text == #"{"timeout":2500000000}"#)
        let decoded = try JSONDecoder().decode(Section.self, from: Data(#"{"timeout":-7}"#.utf8))
        #expect(decoded.timeout == .nanoseconds(-7))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Section.self, from: Data(#"{"timeout":"5s"}"#.utf8))
        }
    }
}
