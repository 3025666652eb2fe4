import FulcrumTestSupport
import MarketData
import Testing

@Suite("SymbolTable")
struct SymbolTableTests {
    func intern(_ table: inout SymbolTable, _ name: String) -> SymbolTable.InternResult {
        Array(name.utf8).withUnsafeBytes { table.intern($0) }
    }

    @Test("assigns dense identifiers in order of first appearance and finds them again")
    func denseIdentifiers() {
        var table = SymbolTable()
        #expect(intern(&table, "BTC-USD") == .inserted(0))
        #expect(intern(&table, "ETH-USD") == .inserted(1))
        #expect(intern(&table, "BTC-USD") == .existing(0))
        #expect(table.count == 2)
        #expect(table.name(of: SymbolID(rawValue: 1)) == "ETH-USD")
        #expect(table.id(of: "BTC-USD") == 0)
        #expect(table.id(of: "SOL-USD") == nil)
        #expect(table.name(of: UInt32(7)) == nil)
    }

    @Test("holds many names of every length, including common prefixes and 8-byte boundaries")
    func manyNames() {
        var table = SymbolTable(configuration: SymbolTableConfiguration(maximumDiscovered: 5_000))
        var rng = SplitMix64(seed: 21)
        var names: [String] = []
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._/")
        while names.count < 5_000 {
            let length = Int.random(in: 1...64, using: &rng)
            let name = String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
            if !names.contains(name) { names.append(name) }
        }
        for (index, name) in names.enumerated() {
            #expect(intern(&table, name) == .inserted(UInt32(index)))
        }
        for (index, name) in names.enumerated() {
            #expect(table.id(of: name) == UInt32(index))
            #expect(table.name(of: UInt32(index)) == name)
        }
        #expect(intern(&table, "ONE-MORE") == .rejected(.symbolCapExceeded))
    }

    @Test("names found again through the recent-name cache keep their identifiers, whatever their length")
    func recentNames() {
        var table = SymbolTable(configuration: SymbolTableConfiguration(maximumDiscovered: 2_000))
        // Names that agree on the bytes the cache keys on but differ in length must not be confused.
        let lookalikes = [
            "A", "AA", "AAA", "AB", "ABB", "ABCD", "ABCDABCD", "ABCDXABCD", "ABCDEFGHABCDEFGH", "ABCDEFGH",
        ]
        var rng = SplitMix64(seed: 22)
        var names = lookalikes
        let alphabet = Array("ABC-")
        while names.count < 1_500 {
            let length = Int.random(in: 1...24, using: &rng)
            let name = String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
            if !names.contains(name) { names.append(name) }
        }
        for (index, name) in names.enumerated() {
            #expect(intern(&table, name) == .inserted(UInt32(index)))
        }
        for _ in 0..<20_000 {
            let index = Int.random(in: 0..<names.count, using: &rng)
            #expect(intern(&table, names[index]) == .existing(UInt32(index)))
        }
        for _ in 0..<2_000 {
            let index = Int.random(in: 0..<lookalikes.count, using: &rng)
            #expect(intern(&table, lookalikes[index]) == .existing(UInt32(index)))
        }
    }

    @Test("an allow-list accepts only its names, which get the first identifiers")
    func allowList() {
        var table = SymbolTable(configuration: SymbolTableConfiguration(allowList: ["BTC-USD", "ETH-USD"]))
        #expect(table.count == 2)
        #expect(intern(&table, "ETH-USD") == .existing(1))
        #expect(intern(&table, "DOGE-USD") == .rejected(.unknownSymbol))
        var venues = SymbolTable(kind: .venue, configuration: SymbolTableConfiguration(allowList: ["BINANCE"]))
        #expect(intern(&venues, "KRAKEN") == .rejected(.unknownVenue))
    }

    @Test("discovery stops at the cap; known names still resolve")
    func cap() {
        var table = SymbolTable(configuration: SymbolTableConfiguration(maximumDiscovered: 3))
        for name in ["A", "B", "C"] { _ = intern(&table, name) }
        #expect(intern(&table, "D") == .rejected(.symbolCapExceeded))
        #expect(intern(&table, "B") == .existing(1))
        var venues = SymbolTable(kind: .venue, configuration: SymbolTableConfiguration(maximumDiscovered: 1))
        _ = intern(&venues, "X")
        #expect(intern(&venues, "Y") == .rejected(.venueCapExceeded))
    }

    @Test("rejects names that are empty, too long or not printable ASCII")
    func invalidNames() {
        // Looped rather than parametrized: control characters in test arguments would end up raw in the log.
        let names = ["", "BTC USD", "BTC\u{0}USD", "BTC\nUSD", "BTC-€", String(repeating: "A", count: 65), "\u{7F}"]
        for name in names {
            var table = SymbolTable()
            #expect(intern(&table, name) == .rejected(.invalidSymbol))
            var venues = SymbolTable(kind: .venue)
            #expect(intern(&venues, name) == .rejected(.invalidVenue))
            #expect(table.count == 0)
        }
    }
}
