import Foundation
import FulcrumService
import FulcrumTestSupport
import MarginModel
import Testing
@testable import FulcrumEngine
@testable import FulcrumOperations

@Suite("Dashboard page")
struct DashboardPageTests {
    @Test("Self-contained: no external script, style, font or image")
    func selfContained() {
        let page = DashboardPage.html(refreshMilliseconds: 1_000)
        for pattern in ["http://", "https://", "//cdn", "<link", "@import", "src=\""] {
            #expect(!page.contains(pattern), "the page references \(pattern)")
        }
    }

    @Test("The polling period is filled in everywhere")
    func refreshFilledIn() {
        let page = DashboardPage.html(refreshMilliseconds: 2_500)
        #expect(!page.contains("__REFRESH_MS__"))
        #expect(page.contains("const REFRESH_MS = 2500;"))
        #expect(page.contains("every 2500 ms"))
    }

    @Test("It draws what /parameters serves")
    func fields() {
        let page = DashboardPage.html(refreshMilliseconds: 1_000)
        for field in ["\"/parameters\"", "a.price", "a.sigmaAnnual", "a.imfTarget", "a.mmfTarget",
                      "a.maxLeverageTarget", "d.correlation", "d.feeds", "d.notReadyReasons"] {
            #expect(page.contains(field), "the page does not use \(field)")
        }
    }

    @Test("It draws every coverage figure /parameters serves, under the document's key names")
    func coverageFields() throws {
        let page = DashboardPage.html(refreshMilliseconds: 1_000)
        let coverage = EngineSnapshot.AssetCoverage(observations: 1, exceptions: 0, exceptionRate: 0, targetRate: 0.02,
                                                    kupiecStatistic: 0, kupiecPValue: 1, zone: .green, window: 1,
                                                    horizonNs: 1, widened: false)
        let encoded = try JSONEncoder().encode(HTTPParametersDocument.Coverage(coverage))
        let keys = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any]).keys
        let drawn = ["observations", "exceptions", "exceptionRate", "targetRate", "kupiecStatistic", "kupiecPValue",
                     "zone", "widened"]
        for key in drawn {
            #expect(keys.contains(key), "/parameters has no coverage key \(key)")
            #expect(page.contains("c.\(key)"), "the page does not use coverage.\(key)")
        }
        #expect(page.contains("a.coverage"))
        // Each figure sits in a cell the page can be checked by: data-symbol and data-field.
        for field in ["coverageExceptions", "coverageObservations", "coverageExceptionRate", "coverageTargetRate",
                      "coverageKupiecStatistic", "coverageKupiecPValue", "coverageZone"] {
            #expect(page.contains("\"\(field)\""), "no \(field) cell")
        }
    }
}
