import MarginModel
/// Splits a CSV file into lines and fields: comma-separated, optional double quotes around a field (without
/// embedded quotes or commas), `\n` or `\r\n` line ends, blank lines and lines starting with `#` skipped.
struct CSVLines {
    let bytes: UnsafeRawBufferPointer
    var offset = 0
    /// 1-based number of the line last returned.
    var lineNumber = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        // A UTF-8 byte-order mark is not part of the first field.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
    }

    /// The fields of the next non-blank, non-comment line, trimmed of spaces and quotes.
    mutating func next() -> [Substring]? {
        while offset < bytes.count {
            let start = offset
            while offset < bytes.count, bytes[offset] != 0x0A { offset += 1 }
            var end = offset
            offset += 1
            lineNumber += 1
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            let trimmed = line[...].trimmingSpaces
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            return line.split(separator: ",", omittingEmptySubsequences: false).map(\.trimmingSpacesAndQuotes)
        }
        return nil
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        guard let first = firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = lastIndex(where: { $0 != " " && $0 != "\t" }) else { return self[endIndex...] }
        return self[first...last]
    }

    /// Without surrounding spaces and one pair of double quotes.
    var trimmingSpacesAndQuotes: Substring {
        let text = trimmingSpaces
        if text.count >= 2, text.first == "\"", text.last == "\"" {
            return text.dropFirst().dropLast().trimmingSpaces
        }
        return text
    }
}
