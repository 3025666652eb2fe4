import Foundation
import Testing

/// The dashboard rendered by a real browser: headless Chromium loads `/` from the running process, runs its
/// script, and the figures it shows are compared with `/parameters`.
@Suite("Operations: the live dashboard in headless Chromium", .serialized, .timeLimit(.minutes(3)),
       .enabled(if: Operations.chromium != nil,
                "chromium is not installed (Debian: apt-get install chromium); the dashboard test is skipped"))
struct OperationsDashboardTests {
    /// Runs Chromium headless on `url` with `arguments`; returns its standard output.
    static func chromium(_ arguments: [String], url: String) async throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Operations.chromium))
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--user-data-dir=\(profile.path)", "--window-size=1400,900", "--virtual-time-budget=5000",
        ] + arguments + [url]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reader = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }
        let deadline = ContinuousClock.now + .seconds(90)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return String(decoding: await reader.value, as: UTF8.self)
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
        var before = try #require(await Operations.get(scenario.httpBase + "/parameters", session: scenario.session))
        for _ in 0..<60 {
            try await Task.sleep(for: .seconds(1))
            let again = try #require(await Operations.get(scenario.httpBase + "/parameters", session: scenario.session))
            if NSDictionary(dictionary: ["a": Operations.json(again.body)["assets"] ?? []])
                == NSDictionary(dictionary: ["a": Operations.json(before.body)["assets"] ?? []]) { break }
            before = again
        }
        let dom = try await Self.chromium(["--dump-dom"], url: scenario.httpBase + "/")
        let after = try #require(await Operations.get(scenario.httpBase + "/parameters", session: scenario.session))
        let document = Operations.json(before.body)
        let assets = document["assets"] as? [[String: Any]] ?? []
        #expect(NSDictionary(dictionary: ["a": assets, "c": document["correlation"] ?? []])
                == NSDictionary(dictionary: ["a": Operations.json(after.body)["assets"] ?? [],
                                             "c": Operations.json(after.body)["correlation"] ?? []]),
                "the state moved while the page rendered")
        try #require(dom.contains("data-loaded=\"true\""), "the page never rendered data:\n\(dom.prefix(2_000))")

        var shown: [String: String] = [:]
        for groups in try Self.matches(#"data-symbol="([^"]*)" data-field="([^"]*)"(?: class="[^"]*")?>([^<]*)<"#,
                                       in: dom) {
            shown["\(groups[0]).\(groups[1])"] = groups[2]
        }
        #expect(assets.count == OperationsScenario.symbols.count)
        var checked = 0
        for asset in assets {
            let symbol = try #require(asset["symbol"] as? String)
            #expect(shown["\(symbol).symbol"] == symbol)
            for field in ["price", "sigmaAnnual", "imf", "imfTarget", "mmf", "mmfTarget", "maxLeverage",
                          "maxLeverageTarget"] {
                let value = (asset[field] as? Double) ?? (asset[field] as? Int).map(Double.init)
                let text = try #require(shown["\(symbol).\(field)"], "\(symbol).\(field) is not on the page")
                #expect(Self.displays(text, value),
                        "\(symbol).\(field): page shows \(text), /parameters has \(value ?? .nan)")
                checked += 1
            }
            let status = (asset["status"] as? String) ?? (asset["estimate"] as? String)
            #expect(shown["\(symbol).status"] == status)
        }
        #expect(checked == 8 * OperationsScenario.symbols.count)

        let correlation = document["correlation"] as? [[Any]] ?? []
        let cells = try Self.matches(#"data-row="(\d+)" data-column="(\d+)" style="[^"]*">([^<]*)<"#, in: dom)
        #expect(cells.count == assets.count * assets.count)
        for cell in cells {
            let row = try #require(Int(cell[0])), column = try #require(Int(cell[1]))
            let value = correlation[row][column] as? Double
            #expect(Self.displays(cell[2], value),
                    "correlation[\(row)][\(column)]: page \(cell[2]), served \(value ?? .nan)")
        }
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
}
