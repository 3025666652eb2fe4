import Foundation
import FulcrumService
import Testing

/// The dashboard rendered by a real browser: headless Chromium loads `/` from the running process, runs its
/// script, and the figures it shows are compared with `/parameters`.
@Suite("Operations: the live dashboard in headless Chromium", .serialized, .timeLimit(.minutes(3)),
       .enabled(if: Operations.chromium != nil,
                "chromium is not installed (Debian: apt-get install chromium); the dashboard test is skipped"))
struct OperationsDashboardTests {
    /// Runs Chromium headless on `url` with `arguments`; returns its standard output.
    ///
    /// The output goes to a file, not a pipe: Chromium's helper processes inherit the descriptor and may outlive
    /// a browser that had to be terminated, and a pipe they hold open would never report its end.
    static func chromium(_ arguments: [String], url: String) async throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        let outputFile = profile.appendingPathExtension("out")
        defer {
            try? FileManager.default.removeItem(at: profile)
            try? FileManager.default.removeItem(at: outputFile)
        }
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Operations.chromium))
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--user-data-dir=\(profile.path)", "--window-size=1400,900", "--virtual-time-budget=5000",
        ] + arguments + [url]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(90)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            process.terminate()
            let killAfter = ContinuousClock.now + .seconds(5)
            while process.isRunning, ContinuousClock.now < killAfter { try await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return String(decoding: try Data(contentsOf: outputFile), as: UTF8.self)
    }

    /// All matches of `pattern` in `text`, as capture groups.
    static func matches(_ pattern: String, in text: String) throws -> [[String]] {
        let expression = try NSRegularExpression(pattern: pattern)
        let range = NSRange(text.startIndex..., in: text)
        return expression.matches(in: text, range: range).map { match in
            (1..<match.numberOfRanges).map { index in
                Range(match.range(at: index), in: text).map { String(text[$0]) } ?? ""
            }
        }
    }

    /// Whether `shown` (a number as the page prints it, maybe with `%` or `×`) displays `value` correctly:
    /// within half a unit of its last printed digit.
    static func displays(_ shown: String, _ value: Double?) -> Bool {
        guard let value else { return shown == "–" }
        var text = shown
        var scale = 1.0
        if text.hasSuffix("%") {
            text.removeLast()
            scale = 100
        }
        if text.hasSuffix("×") { text.removeLast() }
        guard let number = Double(text) else { return false }
        let decimals = text.split(separator: ".").dropFirst().first?.count ?? 0
        let tolerance = 0.5 * pow(10, -Double(decimals)) * (1 + 1e-9) + 1e-12
        return abs(number - value * scale) <= tolerance
    }

    @Test("The page shows, per asset, the figures /parameters serves, and a correlation heatmap")
    func dashboardMatchesParameters() async throws {
        let scenario = try OperationsScenario()
        let connected = try await scenario.connect()
        try #require(connected, "fulcrum never received a tick; log:\n\(scenario.fulcrum.log)")
        try scenario.advance(40)
        let ready = try await Operations.poll(scenario.httpBase + "/ready", session: scenario.session) { s, _ in
            s == 200
        }
        try #require(ready?.status == 200, "never ready; log:\n\(scenario.fulcrum.log)")

        // No more ticks: once the engine has worked through what was sent, the state is frozen. Wait for two
        // identical reads a second apart, render the page, and check /parameters did not move meanwhile.
        let document = try await Self.settledParameters(scenario)
        let dom = try await Self.chromium(["--dump-dom"], url: scenario.httpBase + "/")
        #expect(Self.drawn(await scenario.parameters()) == Self.drawn(document),
                "the state moved while the page rendered")
        try #require(dom.contains("data-loaded=\"true\""), "the page never rendered data:\n\(dom.prefix(2_000))")

        var shown: [String: String] = [:]
        for groups in try Self.matches(#"data-symbol="([^"]*)" data-field="([^"]*)"(?: class="[^"]*")?>([^<]*)<"#,
                                       in: dom) {
            shown["\(groups[0]).\(groups[1])"] = groups[2]
        }
        let cells = try Self.matches(#"data-row="(\d+)" data-column="(\d+)" style="[^"]*">([^<]*)<"#, in: dom)
            .map { PageState.Cell(row: Int($0[0]) ?? -1, column: Int($0[1]) ?? -1, text: $0[2]) }
        let legend = try Self.matches(#"<dt data-reason="([a-z0-9_]*)">"#, in: dom).map { $0[0] }
        var sparks: [String: Int] = [:], tiers: [String: Int] = [:]
        for groups in try Self.matches(#"data-symbol="([^"]*)" data-field="(spark-\w+)" data-points="(\d+)""#,
                                       in: dom) {
            sparks["\(groups[0]).\(groups[1])"] = Int(groups[2])
        }
        for groups in try Self.matches(#"data-symbol="([^"]*)" data-field="tiers" data-tiers="(\d+)""#, in: dom) {
            tiers[groups[0]] = Int(groups[1])
        }
        let page = PageState(loaded: true, steps: "", sequence: "", probe: false, fields: shown, cells: cells,
                             legend: legend, sparks: sparks, tiers: tiers)
        try Self.expectShows(page, document)
        let pill = try Self.matches(#"id="readiness" class="pill (\w+)">([^<]*)<"#, in: dom).first
        #expect(pill == ["ok", "READY"])

        // A screenshot, for people: where it is saved, and that it is a real PNG of the window's size.
        let directory = ProcessInfo.processInfo.environment["FULCRUM_SCREENSHOT_DIR"].map {
            URL(fileURLWithPath: $0, isDirectory: true)
        } ?? FileManager.default.temporaryDirectory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let screenshot = directory.appendingPathComponent("fulcrum-dashboard.png")
        try? FileManager.default.removeItem(at: screenshot)
        _ = try await Self.chromium(["--screenshot=\(screenshot.path)"], url: scenario.httpBase + "/")
        let png = try Data(contentsOf: screenshot)
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let width = png.count > 24 ? png[16..<20].reduce(0) { $0 << 8 | Int($1) } : 0
        let height = png.count > 24 ? png[20..<24].reduce(0) { $0 << 8 | Int($1) } : 0
        #expect(width == 1_400 && height == 900, "screenshot is \(width)×\(height)")
        print("dashboard screenshot: \(screenshot.path)")
        #expect(try await scenario.fulcrum.stop() == 0)
    }

    /// What the open page shows, read by script from its `data-*` elements.
    struct PageState: Decodable {
        struct Cell: Decodable {
            var row: Int
            var column: Int
            var text: String
        }

        var loaded: Bool
        var steps: String
        var sequence: String
        /// Whether the marker set in the page's window earlier is still there (the page was not reloaded).
        var probe: Bool
        var fields: [String: String]
        var cells: [Cell]
        /// The reason words of the legend, in order.
        var legend: [String]
        /// Points drawn per sparkline, keyed `SYMBOL.spark-sigma` (`-imf`, `-mmf`).
        var sparks: [String: Int]
        /// Tiers shown per symbol.
        var tiers: [String: Int]

        static let script = """
            JSON.stringify({
              loaded: document.body.dataset.loaded === "true",
              steps: document.getElementById("steps").textContent,
              sequence: document.getElementById("sequence").textContent,
              probe: window.fulcrumTestProbe === true,
              fields: Object.fromEntries(Array.from(document.querySelectorAll("[data-symbol][data-field]"),
                                                    e => [e.dataset.symbol + "." + e.dataset.field, e.textContent])),
              cells: Array.from(document.querySelectorAll("[data-row]"),
                                e => ({row: Number(e.dataset.row), column: Number(e.dataset.column),
                                       text: e.textContent})),
              legend: Array.from(document.querySelectorAll("#legend dt"), e => e.dataset.reason),
              sparks: Object.fromEntries(Array.from(document.querySelectorAll("[data-points]"),
                                                    e => [e.dataset.symbol + "." + e.dataset.field,
                                                          Number(e.dataset.points)])),
              tiers: Object.fromEntries(Array.from(document.querySelectorAll("[data-tiers]"),
                                                   e => [e.dataset.symbol, Number(e.dataset.tiers)]))
            })
            """
    }

    /// Checks that `page` shows every figure of `document`: per asset the symbol, price, σ, IMF / MMF / max
    /// leverage published and target, status; and the correlation heatmap cell by cell.
    static func expectShows(_ page: PageState, _ document: [String: Any]) throws {
        let shown = page.fields
        let assets = document["assets"] as? [[String: Any]] ?? []
        #expect(assets.count == OperationsScenario.symbols.count)
        for asset in assets {
            let symbol = try #require(asset["symbol"] as? String)
            #expect(shown["\(symbol).symbol"] == symbol)
            for field in ["price", "sigmaAnnual", "imf", "imfTarget", "mmf", "mmfTarget", "maxLeverage",
                          "maxLeverageTarget"] {
                let value = (asset[field] as? Double) ?? (asset[field] as? Int).map(Double.init)
                let text = try #require(shown["\(symbol).\(field)"], "\(symbol).\(field) is not on the page")
                #expect(Self.displays(text, value),
                        "\(symbol).\(field): page shows \(text), /parameters has \(value ?? .nan)")
            }
            let status = (asset["status"] as? String) ?? (asset["estimate"] as? String)
            #expect(shown["\(symbol).status"] == status)
            // The governance ETA, the published tiers and the last hour's sparklines of σ, IMF and MMF.
            let eta = try #require(shown["\(symbol).eta"], "\(symbol): no governance ETA on the page")
            #expect((asset["etaSeconds"] == nil || asset["etaSeconds"] is NSNull) == (eta == "–"), "\(symbol) ETA \(eta)")
            let tiers = asset["tiers"] as? [[String: Any]] ?? []
            #expect(!tiers.isEmpty && page.tiers[symbol] == tiers.count, "\(symbol): \(page.tiers[symbol] ?? -1) tiers")
            let history = asset["history"] as? [[String: Any]] ?? []
            #expect(!history.isEmpty, "\(symbol): no history served")
            for (key, name) in [("sigmaAnnual", "sigma"), ("imf", "imf"), ("mmf", "mmf")] {
                let points = history.filter { $0[key] is Double }.count
                #expect(page.sparks["\(symbol).spark-\(name)"] == points,
                        "\(symbol) \(name): page draws \(page.sparks["\(symbol).spark-\(name)"] ?? -1) of \(points)")
            }
            // Reasons in the wire's vocabulary (`liquidity_unknown`), each explained by the legend.
            let reasons = asset["reasons"] as? [String] ?? []
            #expect(shown["\(symbol).reasons"] == reasons.joined(separator: ", "))
            for reason in reasons {
                #expect(page.legend.contains(reason), "\(symbol): \(reason) is not in the legend \(page.legend)")
                #expect(reason.allSatisfy { $0.isLowercase || $0 == "_" }, "\(reason) is not a wire reason word")
            }
        }
        let legend = (document["reasonLegend"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
        #expect(!legend.isEmpty && page.legend == legend, "page legend \(page.legend), served \(legend)")
        #expect(assets.contains { !($0["reasons"] as? [String] ?? []).isEmpty }, "no asset shows a reason")
        let correlation = document["correlation"] as? [[Any]] ?? []
        #expect(page.cells.count == assets.count * assets.count)
        for cell in page.cells {
            let value = correlation[cell.row][cell.column] as? Double
            #expect(Self.displays(cell.text, value),
                    "correlation[\(cell.row)][\(cell.column)]: page \(cell.text), served \(value ?? .nan)")
        }
    }

    /// The parts of `/parameters` the page draws, for comparing two reads.
    static func drawn(_ document: [String: Any]) -> NSDictionary {
        NSDictionary(dictionary: ["a": document["assets"] ?? [], "c": document["correlation"] ?? [],
                                  "s": document["gridSteps"] ?? -1, "q": document["sequence"] ?? -1])
    }

    /// `/parameters` once two reads a second apart agree on everything the page draws (no tick is in flight).
    static func settledParameters(_ scenario: OperationsScenario) async throws -> [String: Any] {
        var before = await scenario.parameters()
        for _ in 0..<30 {
            try await Task.sleep(for: .seconds(1))
            let again = await scenario.parameters()
            if drawn(again) == drawn(before) { return again }
            before = again
        }
        Issue.record("/parameters never settled")
        return before
    }

    /// Reads the open page until it shows grid step `steps` (20 s at most).
    static func page(_ browser: HeadlessBrowser, showingSteps steps: Int) async throws -> PageState? {
        let deadline = ContinuousClock.now + .seconds(20)
        var state: PageState?
        while ContinuousClock.now < deadline {
            let text = try await browser.evaluate(PageState.script)
            state = try JSONDecoder().decode(PageState.self, from: Data(text.utf8))
            if let state, state.loaded, state.steps == "\(steps)" { return state }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the page never showed grid step \(steps); it shows \(state?.steps ?? "nothing")")
        return state
    }

    @Test("Without a reload, the open page's figures follow the state and each time equal /parameters")
    func dashboardUpdatesLive() async throws {
        let scenario = try OperationsScenario { $0.http.dashboardRefreshMilliseconds = 250 }
        let connected = try await scenario.connect()
        try #require(connected, "fulcrum never received a tick; log:\n\(scenario.fulcrum.log)")
        try scenario.advance(40)
        try #require(try await scenario.settle(), "log:\n\(scenario.fulcrum.log)")
        let browser = try HeadlessBrowser(executable: try #require(Operations.chromium), width: 1_400, height: 900)
        try await browser.open(scenario.httpBase + "/", width: 1_400, height: 900)

        var pages: [PageState] = []
        for round in 0..<3 {
            if round > 0 {
                try scenario.advance(7)
                try #require(try await scenario.settle(), "log:\n\(scenario.fulcrum.log)")
            }
            let document = try await Self.settledParameters(scenario)
            let steps = try #require(document["gridSteps"] as? Int)
            #expect(steps == scenario.step)
            let page = try #require(try await Self.page(browser, showingSteps: steps))
            // The state did not move while the page was read: the page equals /parameters at that moment.
            #expect(Self.drawn(await scenario.parameters()) == Self.drawn(document), "the state moved meanwhile")
            #expect(page.sequence == "\((document["sequence"] as? Int) ?? -1)")
            try Self.expectShows(page, document)
            #expect(page.probe == (round > 0), "the page was reloaded")
            if round == 0 { _ = try await browser.evaluate("(window.fulcrumTestProbe = true, 'set')") }
            pages.append(page)
        }
        for (earlier, later) in zip(pages, pages.dropFirst()) {
            #expect(later.fields != earlier.fields, "the page's figures did not change with the state")
        }
        let png = try await browser.screenshot()
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let directory = ProcessInfo.processInfo.environment["FULCRUM_SCREENSHOT_DIR"].map {
            URL(fileURLWithPath: $0, isDirectory: true)
        } ?? FileManager.default.temporaryDirectory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let screenshot = directory.appendingPathComponent("fulcrum-dashboard-live.png")
        try png.write(to: screenshot)
        print("live dashboard screenshot: \(screenshot.path)")
        try await browser.shutDown()
        #expect(try await scenario.fulcrum.stop() == 0)
    }
}
