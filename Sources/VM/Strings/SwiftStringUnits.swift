extension JSString {
    /// The UTF-16 code units of a Swift string. ASCII text (nearly every name and header a host
    /// passes in) is widened byte by byte; the generic copy of `String.UTF16View` decodes one
    /// scalar at a time and was a visible share of building a request object.
    static func units(of s: String) -> ContiguousArray<UInt16> {
        let ascii = s.utf8.withContiguousStorageIfAvailable { bytes -> ContiguousArray<UInt16>? in
            var out = ContiguousArray<UInt16>(repeating: 0, count: bytes.count)
            let allASCII = out.withUnsafeMutableBufferPointer { units -> Bool in
                var high: UInt8 = 0
                for i in 0..<bytes.count {
                    high |= bytes[i]
                    units[i] = UInt16(bytes[i])
                }
                return high < 0x80
            }
            return allASCII ? out : nil
        }
        if let ascii, let units = ascii { return units }
        return ContiguousArray(s.utf16)
    }
}
