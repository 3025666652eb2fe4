import FulcrumTestSupport
import Testing
@testable import MarginModel

/// The backtest statistics held to an independent scipy computation
/// (`python3 -m fulcrum_tools.reference.coverage_vectors`).
@Suite("Coverage statistics against scipy")
struct CoverageReferenceTests {
    @Test("Counts, Kupiec, Christoffersen independence and conditional coverage, p-values, band and zone",
          arguments: CoverageReferenceValues.cases.map(\.name))
    func reference(name: String) throws {
        let reference = try #require(CoverageReferenceValues.cases.first { $0.name == name })
        var statistics = CoverageStatistics(targetRate: reference.targetRate)
        for character in reference.series { statistics.record(exception: character == "1") }
        #expect(statistics.observations == reference.observations)
        #expect(statistics.exceptions == reference.exceptions)
        #expect([statistics.n00, statistics.n01, statistics.n10, statistics.n11]
            == [reference.n00, reference.n01, reference.n10, reference.n11])
        let summary = CoverageSummary(statistics)
        func close(_ value: Double, _ expected: Double, _ what: String, tolerance: Double = 1e-9) {
            if expected == 0 {
                #expect(abs(value) < 1e-12, "\(name) \(what): \(value) vs 0")
            } else {
                #expect(value.isApproximatelyEqual(to: expected, relativeTolerance: tolerance),
                        "\(name) \(what): \(value) vs \(expected)")
            }
        }
        close(summary.kupiec.statistic, reference.kupiec, "LR_uc")
        close(summary.independence.statistic, reference.independence, "LR_ind")
        close(summary.conditionalCoverage.statistic, reference.conditionalCoverage, "LR_cc")
        // p-values far in the tail lose relative accuracy with the statistic's own rounding (dp/p ≈ LR/2·dLR/LR).
        close(summary.kupiec.pValue, reference.kupiecP, "Kupiec p", tolerance: 1e-6)
        close(summary.independence.pValue, reference.independenceP, "independence p", tolerance: 1e-6)
        close(summary.conditionalCoverage.pValue, reference.conditionalCoverageP, "conditional coverage p",
              tolerance: 1e-6)
        #expect(summary.kupiecBand == reference.bandLower...reference.bandUpper, "\(name) band")
        #expect(summary.zone.rawValue == reference.zone, "\(name) zone")
        // The verdict is conditional coverage's; calibrated means inside the band and independence not rejected at 1 %.
        #expect((summary.verdict == "consistent") == (reference.conditionalCoverageP >= 0.05), "\(name) verdict")
        #expect(summary.isCalibrated == (reference.kupiecP >= 0.05 && reference.independenceP >= 0.01),
                "\(name) calibrated")
        let inBand = (reference.bandLower...reference.bandUpper).contains(reference.exceptions)
        #expect(inBand == !summary.kupiecRejects, "\(name): the band is where Kupiec does not reject")
    }

    @Test("The verdict names the failure: too many, too few, or clustering at a correct rate")
    func verdicts() throws {
        let clustered = try #require(CoverageReferenceValues.cases.first { $0.name == "clustered" })
        var statistics = CoverageStatistics(targetRate: clustered.targetRate)
        for character in clustered.series { statistics.record(exception: character == "1") }
        let summary = CoverageSummary(statistics)
        // The rate passes Kupiec, the clustering fails independence: Kupiec alone would call this consistent.
        #expect(!summary.kupiecRejects)
        #expect(summary.verdict == "exceptions cluster")
        #expect(!summary.isCalibrated)
        var tooMany = CoverageStatistics(targetRate: 0.01)
        for index in 0..<500 { tooMany.record(exception: index % 20 == 0) }
        #expect(CoverageSummary(tooMany).verdict == "too many exceptions")
        var tooFew = CoverageStatistics(targetRate: 0.05)
        for _ in 0..<500 { tooFew.record(exception: false) }
        #expect(CoverageSummary(tooFew).verdict == "too few exceptions")
    }
}
