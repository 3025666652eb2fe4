import MarginModel
/// Conversions between nanoseconds since the Unix epoch and UTC calendar dates, without Foundation.
///
/// Days ↔ (year, month, day) use Howard Hinnant's `days_from_civil` / `civil_from_days` on the proleptic
/// Gregorian calendar: exact integer arithmetic over 400-year eras, valid for every Int64 day count in range.
public enum CivilTime {
    /// Nanoseconds per day.
    public static let nanosecondsPerDay: Int64 = 86_400_000_000_000

    /// Days since 1970-01-01 of a calendar date.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date of a day count since 1970-01-01.
    public static func date(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD` of a day count.
    public static func dateString(days: Int64) -> String {
        let (year, month, day) = date(days: days)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (with `.fff…` when the time has a sub-second part) of a time in ns.
    public static func iso8601(_ nanoseconds: Int64) -> String {
        let day = floorDivide(nanoseconds, nanosecondsPerDay)
        let within = nanoseconds - day * nanosecondsPerDay
        let seconds = within / 1_000_000_000
        let fraction = within % 1_000_000_000
        var text = dateString(days: day) + "T" + pad(seconds / 3_600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":"
            + pad(seconds % 60, 2)
        if fraction != 0 {
            var digits = pad(fraction, 9)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    /// A chart-axis label of a time in ns, as fine as a span of `spanNs` needs: `YYYY-MM-DD` from three days,
    /// `MM-DD HH:MM` from six hours, `HH:MM:SS` below.
    public static func axisLabel(_ nanoseconds: Int64, spanNs: Int64) -> String {
        let day = floorDivide(nanoseconds, nanosecondsPerDay)
        if spanNs >= 3 * nanosecondsPerDay { return dateString(days: day) }
        let seconds = (nanoseconds - day * nanosecondsPerDay) / 1_000_000_000
        let clock = pad(seconds / 3_600, 2) + ":" + pad(seconds / 60 % 60, 2)
        if spanNs >= 6 * 3_600_000_000_000 { return String(dateString(days: day).dropFirst(5)) + " " + clock }
        return clock + ":" + pad(seconds % 60, 2)
    }

    /// Parses a timestamp: decimal seconds since the epoch (`1700000000`, `1700000000.25`), a date
    /// (`2024-01-02`, midnight UTC) or a date-time (`2024-01-02T03:04:05.123Z`, `2024-01-02 03:04:05`, with an
    /// optional `Z` or `+00:00`). Returns ns, or nil when the text is none of these.
    public static func parseTimestamp(_ text: Substring) -> Int64? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") {
            return parseCalendar(bytes)
        }
        return parseSeconds(bytes)
    }

    /// Parses `YYYY-MM-DD` (a bar date) into days since the epoch.
    public static func parseDate(_ text: Substring) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        return days(year: year, month: month, day: day)
    }

    static func parseCalendar(_ bytes: [UInt8]) -> Int64? {
        guard let day = parseDate(Substring(decoding: bytes[0..<10], as: UTF8.self)) else { return nil }
        var result = day * nanosecondsPerDay
        guard bytes.count > 10 else { return result }
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes.count >= 19,
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hours = number(bytes[11..<13]), let minutes = number(bytes[14..<16]),
              let seconds = number(bytes[17..<19]), hours < 24, minutes < 60, seconds < 61 else { return nil }
        result += ((hours * 60 + minutes) * 60 + seconds) * 1_000_000_000
        var index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale: Int64 = 100_000_000
            let start = index
            while index < bytes.count, let digit = digit(bytes[index]) {
                result += digit * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        let zone = bytes[index...]
        guard zone.isEmpty || Array(zone) == Array("Z".utf8) || Array(zone) == Array("+00:00".utf8) else {
            return nil
        }
        return result
    }

    static func parseSeconds(_ bytes: [UInt8]) -> Int64? {
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") {
            negative = true
            index = 1
        }
        var whole: Int64 = 0
        let start = index
        while index < bytes.count, let digit = digit(bytes[index]) {
            let (scaled, overflow) = whole.multipliedReportingOverflow(by: 10)
            guard !overflow, scaled <= Int64.max / 1_000_000_000 else { return nil }
            whole = scaled + digit
            index += 1
        }
        guard index > start else { return nil }
        var nanoseconds = whole * 1_000_000_000
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale: Int64 = 100_000_000
            while index < bytes.count, let digit = digit(bytes[index]) {
                nanoseconds += digit * scale
                scale /= 10
                index += 1
            }
        }
        guard index == bytes.count else { return nil }
        return negative ? -nanoseconds : nanoseconds
    }

    static func number(_ bytes: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        for byte in bytes {
            guard let digit = digit(byte) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    @inline(__always)
    static func digit(_ byte: UInt8) -> Int64? {
        byte >= 0x30 && byte <= 0x39 ? Int64(byte - 0x30) : nil
    }

    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
