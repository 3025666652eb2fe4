import FulcrumTestSupport
import Testing
@testable import Backtesting

@Suite("Capital efficiency")
struct EfficiencyTests {
    @Test("k* is the brute-force smallest multiple meeting ε (numpy reference); the ratio is 1/k*",
          arguments: EfficiencyReferenceValues.cases.indices)
    func reference(index: Int) {
        let (epsilon, multiples, expected) = EfficiencyReferenceValues.cases[index]
        let efficiency = CapitalEfficiency(requiredMultiples: multiples, targetRate: epsilon)
        #expect(efficiency.multiplier.isApproximatelyEqual(to: expected, relativeTolerance: 1e-15))
        #expect(efficiency.ratio.isApproximatelyEqual(to: 1 / expected, relativeTolerance: 1e-15))
        // Scaling the margin by k* leaves at most ⌊ε·n⌋ exceptions; any smaller multiple leaves more.
        let allowed = Int((epsilon * Double(multiples.count)).rounded(.down))
        #expect(multiples.filter { $0 > efficiency.multiplier }.count <= allowed)
        #expect(multiples.filter { $0 > efficiency.multiplier.nextDown }.count > allowed)
    }

    @Test("A margin exactly as large as needed has ratio 1; one twice as large, 2; the binding side sets k*")
    func scaling() {
        // 100 horizons needing 0.01, 0.02, …, 1.0 of the margin; ε = 5 %: five may exceed, k* = 0.95.
        let needed = (1...100).map { Double($0) / 100 }
        let exact = CapitalEfficiency(requiredMultiples: needed, targetRate: 0.05)
        #expect(exact.multiplier.isApproximatelyEqual(to: 0.95, relativeTolerance: 1e-15))
        let loose = CapitalEfficiency(requiredMultiples: needed.map { $0 / 2 }, targetRate: 0.05)
        #expect(loose.ratio.isApproximatelyEqual(to: 2 / 0.95, relativeTolerance: 1e-12))
        #expect(CapitalEfficiency.binding(exact, loose).multiplier == exact.multiplier)
        #expect(CapitalEfficiency(requiredMultiples: [], targetRate: 0.01).ratio.isNaN)
    }
}
