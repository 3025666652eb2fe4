import Testing
@testable import RiskFeed

@Suite("Subscription book")
struct SubscriptionBookTests {
    static func message(_ subscribe: Bool, _ prefix: String) -> [UInt8] { [subscribe ? 1 : 0] + Array(prefix.utf8) }

    @Test("Counts subscriptions per prefix, through duplicates and unsubscriptions")
    func counts() {
        var book = SubscriptionBook()
        for (subscribe, prefix) in [(true, "risk."), (true, "risk."), (true, "hb"), (false, "risk.")] {
            #expect(Self.message(subscribe, prefix).withUnsafeBytes { book.apply($0) })
        }
        #expect(book.total == 2)
        #expect(book.wants(topic: Array("risk.BTC".utf8)))
        #expect(book.wants(topic: Array("hb".utf8)))
        #expect(!book.wants(topic: Array("portfolio".utf8)))
        _ = Self.message(false, "risk.").withUnsafeBytes { book.apply($0) }
        #expect(!book.wants(topic: Array("risk.BTC".utf8)))
        #expect(book.total == 1)
    }

    @Test("JSON is wanted exactly when some prefix reaches a json. topic", arguments: [
        ("", true), ("j", true), ("json.", true), ("json.risk.", true), ("json.risk.BTC", true),
        ("risk.", false), ("jx", false), ("portfolio", false), ("json_", false),
    ])
    func wantsJSON(prefix: String, expected: Bool) {
        var book = SubscriptionBook()
        _ = Self.message(true, prefix).withUnsafeBytes { book.apply($0) }
        #expect(book.wantsJSON == expected)
        _ = Self.message(false, prefix).withUnsafeBytes { book.apply($0) }
        #expect(!book.wantsJSON)
        #expect(book.total == 0)
    }

    @Test("Messages that are not subscriptions change nothing; stray unsubscriptions never go negative")
    func malformed() {
        var book = SubscriptionBook()
        #expect(![UInt8]().withUnsafeBytes { book.apply($0) })
        #expect(!([7] + Array("risk.".utf8)).withUnsafeBytes { book.apply($0) })
        #expect(Self.message(false, "risk.").withUnsafeBytes { book.apply($0) })
        #expect(book.total == 0)
    }
}
