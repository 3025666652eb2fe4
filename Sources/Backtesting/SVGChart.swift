import MarginModel
/// A minimal SVG time-series chart: stacked panels sharing a time axis, each with lines, shaded bands and point
/// markers, nice-number y ticks and a legend. Written by hand so that the output is deterministic and needs no
/// plotting library.
///
/// Long series are reduced per pixel column to their first, lowest, highest and last points (M4 downsampling),
/// which keeps every extreme visible while bounding the file size by the chart width.
struct SVGChart {
    struct Line {
        var name: String
        var times: [Int64]
        var values: [Double]
        var color: String
        var width = 1.2
        var dashed = false
        var stepped = false
    }

    struct Band {
        var name: String
        var times: [Int64]
        var lower: [Double]
        var upper: [Double]
        var color: String
        var opacity = 0.25
    }

    struct Marker {
        var time: Int64
        var value: Double
    }

    struct Markers {
        var name: String
        var points: [Marker]
        var color: String
        var radius = 2.5
    }

    /// Time ranges shaded over the panel's full height (e.g. steps whose margins were stale or stressed).
    struct Spans {
        var name: String
        var ranges: [(start: Int64, end: Int64)]
        var color: String
        var opacity = 0.18
    }

    struct Panel {
        var title: String
        var height: Double
        var format: (Double) -> String
        var lines: [Line] = []
        var bands: [Band] = []
        var markers: [Markers] = []
        var spans: [Spans] = []
    }

    var title: String
    var subtitle: String
    var panels: [Panel]
    var timeLabel: (Int64) -> String
    let width = 960.0
    let left = 72.0
    let right = 24.0
    let header = 72.0
    let gap = 44.0

    func render() -> String {
        let times = panels.flatMap { panel in
            panel.lines.flatMap(\.times) + panel.bands.flatMap(\.times)
                + panel.markers.flatMap { $0.points.map(\.time) }
        }
        let start = times.min() ?? 0
        let end = max(times.max() ?? 1, start + 1)
        let height = header + panels.reduce(0) { $0 + $1.height + gap } + 8
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"Helvetica, Arial, sans-serif\">\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        svg += text(left, 22, title, size: 16, weight: "bold")
        svg += text(left, 42, subtitle, size: 11, color: "#555555")
        var top = header
        for panel in panels {
            svg += render(panel, top: top, start: start, end: end)
            top += panel.height + gap
        }
        return svg + "</svg>\n"
    }

    func render(_ panel: Panel, top: Double, start: Int64, end: Int64) -> String {
        let plotWidth = width - left - right
        let bottom = top + panel.height
        var values: [Double] = panel.lines.flatMap(\.values) + panel.bands.flatMap { $0.lower + $0.upper }
        values += panel.markers.flatMap { $0.points.map(\.value) }
        let finite = values.filter(\.isFinite)
        var low = finite.min() ?? 0
        var high = finite.max() ?? 1
        if high - low < 1e-12 * max(abs(high), 1) {
            low -= max(abs(low) * 0.05, 1e-9)
            high += max(abs(high) * 0.05, 1e-9)
        }
        let pad = (high - low) * 0.05
        low -= pad
        high += pad
        let x = { (time: Int64) -> Double in left + Double(time - start) / Double(end - start) * plotWidth }
        let y = { (value: Double) -> Double in bottom - (value - low) / (high - low) * panel.height }

        var svg = "<g>\n"
        svg += text(left, top - 8, panel.title, size: 12, weight: "bold")
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(panel.height))\" "
            + "fill=\"#fafafa\" stroke=\"#cccccc\"/>\n"
        for tick in Self.niceTicks(low: low, high: high, count: 5) {
            let ty = y(tick)
            svg += "<line x1=\"\(f(left))\" y1=\"\(f(ty))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(ty))\" "
                + "stroke=\"#e5e5e5\"/>\n"
            svg += text(left - 6, ty + 4, panel.format(tick), size: 10, anchor: "end", color: "#444444")
        }
        for index in 0...5 {
            let time = start + Int64(Double(end - start) * Double(index) / 5)
            let tx = x(time)
            svg += "<line x1=\"\(f(tx))\" y1=\"\(f(bottom))\" x2=\"\(f(tx))\" y2=\"\(f(bottom + 4))\" "
                + "stroke=\"#888888\"/>\n"
            let anchor = index == 0 ? "start" : index == 5 ? "end" : "middle"
            svg += text(tx, bottom + 16, timeLabel(time), size: 10, anchor: anchor, color: "#444444")
        }
        for group in panel.spans {
            for range in group.ranges {
                let x0 = x(max(range.start, start))
                let x1 = max(x(min(range.end, end)), x0 + 0.5)
                svg += "<rect x=\"\(f(x0))\" y=\"\(f(top))\" width=\"\(f(x1 - x0))\" height=\"\(f(panel.height))\" "
                    + "fill=\"\(group.color)\" fill-opacity=\"\(f(group.opacity))\" stroke=\"none\"/>\n"
            }
        }
        for band in panel.bands { svg += render(band, columns: plotWidth, x: x, y: y, start: start, end: end) }
        for line in panel.lines { svg += render(line, columns: plotWidth, x: x, y: y, start: start, end: end) }
        for group in panel.markers {
            for point in group.points where point.value.isFinite {
                svg += "<circle cx=\"\(f(x(point.time)))\" cy=\"\(f(y(point.value)))\" r=\"\(f(group.radius))\" "
                    + "fill=\"\(group.color)\"/>\n"
            }
        }
        var legendX = left + 8
        let legend: [(String, String, Bool)] = (panel.spans.filter { !$0.ranges.isEmpty }
            .map { ($0.name, $0.color, false) } + panel.bands.map { ($0.name, $0.color, false) }
            + panel.lines.map { ($0.name, $0.color, $0.dashed) } + panel.markers.map { ($0.name, $0.color, false) })
            .filter { !$0.0.isEmpty }
        let legendWidth = legend.reduce(0.0) { $0 + 32 + Double($1.0.count) * 5.6 }
        if !legend.isEmpty {
            svg += "<rect x=\"\(f(left + 2))\" y=\"\(f(top + 3))\" width=\"\(f(legendWidth + 8))\" height=\"18\" "
                + "fill=\"#ffffff\" fill-opacity=\"0.85\"/>\n"
        }
        for (name, color, dashed) in legend {
            svg += "<line x1=\"\(f(legendX))\" y1=\"\(f(top + 12))\" x2=\"\(f(legendX + 16))\" y2=\"\(f(top + 12))\" "
                + "stroke=\"\(color)\" stroke-width=\"3\"\(dashed ? " stroke-dasharray=\"4 2\"" : "")/>\n"
            svg += text(legendX + 20, top + 16, name, size: 10, color: "#333333")
            legendX += 32 + Double(name.count) * 5.6
        }
        return svg + "</g>\n"
    }

    func render(_ line: Line, columns: Double, x: (Int64) -> Double, y: (Double) -> Double, start: Int64,
                end: Int64) -> String {
        var svg = ""
        for segment in Self.segments(line.times, line.values) {
            let points = Self.downsample(segment, start: start, end: end, columns: Int(columns))
            guard !points.isEmpty else { continue }
            var path = "M\(f(x(points[0].0))),\(f(y(points[0].1)))"
            for index in points.indices.dropFirst() {
                if line.stepped { path += "H\(f(x(points[index].0)))" }
                path += "L\(f(x(points[index].0))),\(f(y(points[index].1)))"
            }
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"\(f(line.width))\""
                + (line.dashed ? " stroke-dasharray=\"5 3\"" : "") + " stroke-linejoin=\"round\"/>\n"
        }
        return svg
    }

    func render(_ band: Band, columns: Double, x: (Int64) -> Double, y: (Double) -> Double, start: Int64,
                end: Int64) -> String {
        var svg = ""
        let valid = band.times.indices.map { band.lower[$0].isFinite && band.upper[$0].isFinite }
        var index = 0
        while index < band.times.count {
            guard valid[index] else {
                index += 1
                continue
            }
            var stop = index
            while stop < band.times.count, valid[stop] { stop += 1 }
            let times = Array(band.times[index..<stop])
            let upper = Self.downsample(Array(zip(times, band.upper[index..<stop])), start: start, end: end,
                                        columns: Int(columns), keep: .maximum)
            let lower = Self.downsample(Array(zip(times, band.lower[index..<stop])), start: start, end: end,
                                        columns: Int(columns), keep: .minimum)
            var path = ""
            for (offset, point) in upper.enumerated() {
                path += (offset == 0 ? "M" : "L") + "\(f(x(point.0))),\(f(y(point.1)))"
            }
            for point in lower.reversed() { path += "L\(f(x(point.0))),\(f(y(point.1)))" }
            svg += "<path d=\"\(path)Z\" fill=\"\(band.color)\" fill-opacity=\"\(f(band.opacity))\" stroke=\"none\"/>\n"
            index = stop
        }
        return svg
    }

    /// Runs of consecutive finite values.
    static func segments(_ times: [Int64], _ values: [Double]) -> [[(Int64, Double)]] {
        var result: [[(Int64, Double)]] = []
        var current: [(Int64, Double)] = []
        for index in times.indices {
            if values[index].isFinite {
                current.append((times[index], values[index]))
            } else if !current.isEmpty {
                result.append(current)
                current = []
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    enum Keep { case all, minimum, maximum }

    /// Per pixel column: first, minimum, maximum and last point in time order (`.all`), or only the extreme.
    static func downsample(_ points: [(Int64, Double)], start: Int64, end: Int64, columns: Int,
                           keep: Keep = .all) -> [(Int64, Double)] {
        guard points.count > 4 * max(columns, 1) else { return points }
        var result: [(Int64, Double)] = []
        var index = 0
        let span = Double(max(end - start, 1))
        func column(_ time: Int64) -> Int { Int(Double(time - start) / span * Double(columns)) }
        while index < points.count {
            let current = column(points[index].0)
            var stop = index
            var lowest = index
            var highest = index
            while stop < points.count, column(points[stop].0) == current {
                if points[stop].1 < points[lowest].1 { lowest = stop }
                if points[stop].1 > points[highest].1 { highest = stop }
                stop += 1
            }
            switch keep {
            case .all:
                for pick in Set([index, lowest, highest, stop - 1]).sorted() { result.append(points[pick]) }
            case .minimum: result.append((points[index].0, points[lowest].1))
            case .maximum: result.append((points[index].0, points[highest].1))
            }
            index = stop
        }
        return result
    }

    /// About `count` round tick values (1, 2 or 5 × 10ᵏ apart) inside [low, high].
    static func niceTicks(low: Double, high: Double, count: Int) -> [Double] {
        let raw = (high - low) / Double(max(count, 1))
        guard raw > 0, raw.isFinite else { return [low] }
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        let step = [1.0, 2.0, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var tick = (low / step).rounded(.up) * step
        while tick <= high + step * 1e-9, ticks.count < 20 {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        return ticks
    }

    func text(_ x: Double, _ y: Double, _ content: String, size: Int, anchor: String = "start",
              weight: String = "normal", color: String = "#111111") -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" "
            + "fill=\"\(color)\">\(Self.escape(content))</text>\n"
    }

    /// A coordinate with one decimal.
    func f(_ value: Double) -> String { ReportNumber.fixed(value, 1) }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
