/// Byte-level shortcuts for request text that is almost always ASCII (header names, targets,
/// media types). Each gives exactly the result of the `String` operation it replaces; text that
/// is not ASCII takes that operation itself, since Unicode rules (case mapping, grapheme
/// clusters, canonical equivalence) only differ from byte rules outside ASCII. The loops run on
/// the UTF-8 buffers: iterating `String.UTF8View` costs tens of instructions per byte.
enum ASCIIText {
    /// True when every byte of `s` is ASCII.
    static func isASCII(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { isASCII($0) }
    }

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0
        for b in bytes { high |= b }
        return high < 0x80
    }

    @inline(__always)
    static func lowercased(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    /// The UTF-8 of `s.lowercased()`, lower-cased in place when `s` is ASCII.
    static func lowercasedUTF8(_ s: String) -> [UInt8] {
        var bytes = Array(s.utf8)
        let ascii = bytes.withUnsafeMutableBufferPointer { buffer in
            var high: UInt8 = 0
            for i in buffer.indices {
                high |= buffer[i]
                buffer[i] = lowercased(buffer[i])
            }
            return high < 0x80
        }
        return ascii ? bytes : Array(s.lowercased().utf8)
    }

    /// Whether `bytes` equals `lowerCaseName` ignoring ASCII case (`lowerCaseName` is lower-case ASCII).
    static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ lowerCaseName: String) -> Bool {
        guard bytes.count == lowerCaseName.utf8.count else { return false }
        var name = lowerCaseName
        return name.withUTF8 { name in
            for i in 0..<bytes.count where lowercased(bytes[i]) != name[i] { return false }
            return true
        }
    }

    /// The first of `lowerCaseNames` (lower-case ASCII) that `name.lowercased()` equals, as
    /// `name.lowercased()`; nil when none does. ASCII names are compared in place.
    static func lowercased(_ name: String, ifOneOf lowerCaseNames: [String]) -> String? {
        var name = name
        let asciiMatch: String?? = name.withUTF8 { bytes in
            guard isASCII(bytes) else { return nil }
            return .some(lowerCaseNames.first { equalsIgnoringCase(bytes, $0) })
        }
        if let asciiMatch { return asciiMatch }
        let lower = name.lowercased()
        return lowerCaseNames.contains(lower) ? lower : nil
    }
}
