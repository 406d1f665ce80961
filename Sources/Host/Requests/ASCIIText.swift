/// Byte-level shortcuts for request text that is almost always ASCII (header names, targets,
/// media types). Each gives exactly the result of the `String` operation it replaces; text that
/// is not ASCII takes that operation itself, since Unicode rules (case mapping, grapheme
/// clusters) only differ from byte rules outside ASCII.
enum ASCIIText {
    /// True when every byte of `s` is ASCII.
    static func isASCII(_ s: String) -> Bool {
        var high: UInt8 = 0
        for b in s.utf8 { high |= b }
        return high < 0x80
    }

    /// The UTF-8 of `s.lowercased()`, lower-cased in place when `s` is ASCII.
    static func lowercasedUTF8(_ s: String) -> [UInt8] {
        var bytes = Array(s.utf8)
        var high: UInt8 = 0
        for i in bytes.indices {
            let b = bytes[i]
            high |= b
            if b &- 0x41 < 26 { bytes[i] = b | 0x20 }
        }
        return high < 0x80 ? bytes : Array(s.lowercased().utf8)
    }

    /// Whether `bytes` equals `lowerCaseName` ignoring ASCII case (`lowerCaseName` is lower-case ASCII).
    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowerCaseName: String) -> Bool {
        guard bytes.count == lowerCaseName.utf8.count else { return false }
        for (b, n) in zip(bytes, lowerCaseName.utf8) where (b &- 0x41 < 26 ? b | 0x20 : b) != n { return false }
        return true
    }

    /// The first of `lowerCaseNames` (lower-case ASCII) that `name.lowercased()` equals, as
    /// `name.lowercased()`; nil when none does. ASCII names are compared in place.
    static func lowercased(_ name: String, ifOneOf lowerCaseNames: [String]) -> String? {
        var name = name
        let asciiMatch: String?? = name.withUTF8 { bytes in
            var high: UInt8 = 0
            for b in bytes { high |= b }
            guard high < 0x80 else { return nil }
            return .some(lowerCaseNames.first { equalsIgnoringCase(bytes, $0) })
        }
        if let asciiMatch { return asciiMatch }
        let lower = name.lowercased()
        return lowerCaseNames.contains(lower) ? lower : nil
    }
}
