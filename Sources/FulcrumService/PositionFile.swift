import Foundation
import FulcrumProtocol
import ProtocolHealth

/// A position book read from a file: a `fulcrum.v1.PositionSnapshot` (positions.proto) in the protobuf binary
/// encoding, or in its proto3 JSON mapping (a file starting with `{`). Backtests value it as a position profile,
/// opened afresh at the start of every window.
public enum PositionFile {
    /// The snapshot in `path` and its markets (the symbols in order of first appearance).
    ///
    /// - Throws: ``HealthError`` (`invalidSetting`) naming the file when it cannot be read or decoded.
    public static func load(path: String) throws -> (snapshot: Fulcrum_V1_PositionSnapshot, symbols: [String]) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw HealthError(.invalidSetting, "positions file \(path) cannot be read: \(error.localizedDescription)",
                              context: ["path": path])
        }
        let snapshot: Fulcrum_V1_PositionSnapshot
        do {
            snapshot = data.first == UInt8(ascii: "{")
                ? try Fulcrum_V1_PositionSnapshot(jsonUTF8Data: data)
                : try Fulcrum_V1_PositionSnapshot(serializedBytes: Array(data))
        } catch {
            throw HealthError(.invalidSetting, "positions file \(path) is not a fulcrum.v1.PositionSnapshot: \(error)",
                              context: ["path": path])
        }
        var symbols: [String] = []
        for position in snapshot.positions where !symbols.contains(position.symbol) { symbols.append(position.symbol) }
        guard !symbols.isEmpty else {
            throw HealthError(.invalidSetting, "positions file \(path) holds no position", context: ["path": path])
        }
        return (snapshot, symbols)
    }

    /// The book of `snapshot` over `symbols`; with `marks`, every position opened afresh at its market's mark —
    /// the same notional (|size| × entry price), the entry at the mark, the collateral as given — so that a
    /// position profile can be valued at any date of a long history.
    ///
    /// - Throws: the book's errors for a position it refuses (a non-finite size or price, an unknown market).
    public static func book(_ snapshot: Fulcrum_V1_PositionSnapshot, symbols: [String], marks: [Double]? = nil) throws
        -> PositionBook {
        let markets = Dictionary(uniqueKeysWithValues: symbols.enumerated().map { ($1, $0) })
        var positions = snapshot.positions
        if let marks {
            for index in positions.indices {
                guard let market = markets[positions[index].symbol], market < marks.count else { continue }
                positions[index].size *= positions[index].entryPrice / marks[market]
                positions[index].entryPrice = marks[market]
            }
        }
        var book = PositionBook(marketCount: symbols.count, positionCapacity: max(positions.count, 1),
                                unitCapacity: max(positions.count + snapshot.collateral.count, 1))
        for change in PositionInput.changes(positions, snapshot.collateral, [], markets: markets) {
            try change.apply(to: &book)
        }
        return book
    }
}
