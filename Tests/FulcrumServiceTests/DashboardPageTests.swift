import Testing
@testable import FulcrumService

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
}
