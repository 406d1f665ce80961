#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Log line times: UTC to the millisecond, "2026-11-25T23:30:01.123Z", written as bytes.
///
/// The calendar date is computed arithmetically (days since the epoch to year/month/day), so
/// a line needs no `gmtime_r`, no lock around a cached prefix and no string.
enum LogTime {
    /// Appends the current time.
    static func write(into line: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        write(seconds: Int(now.tv_sec), milliseconds: Int(now.tv_nsec / 1_000_000), into: &line)
    }

    /// Appends the time `seconds` after the Unix epoch (not before it) plus `milliseconds`.
    static func write(seconds: Int, milliseconds: Int, into line: inout [UInt8]) {
        let days = seconds / 86_400
        let secondOfDay = seconds % 86_400
        // Howard Hinnant's civil_from_days, for days since 1970-01-01 (non-negative).
        let shifted = days + 719_468
        let era = shifted / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153  // March = 0
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)

        appendDigits(year, width: 4, to: &line)
        line.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &line)
        line.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &line)
        line.append(UInt8(ascii: "T"))
        appendDigits(secondOfDay / 3600, width: 2, to: &line)
        line.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay / 60 % 60, width: 2, to: &line)
        line.append(UInt8(ascii: ":"))
        appendDigits(secondOfDay % 60, width: 2, to: &line)
        line.append(UInt8(ascii: "."))
        appendDigits(milliseconds, width: 3, to: &line)
        line.append(UInt8(ascii: "Z"))
    }

    /// Appends the last `width` decimal digits of a non-negative `value`, zero-padded.
    static func appendDigits(_ value: Int, width: Int, to line: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            line.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends a non-negative integer in decimal (negative numbers as "-" and their magnitude).
    mutating func appendDecimal(_ value: Int) {
        if value < 0 { self.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var divisor: UInt = 1
        while magnitude / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            self.append(UInt8(ascii: "0") + UInt8(magnitude / divisor))
            magnitude %= divisor
            divisor /= 10
        }
    }
}
