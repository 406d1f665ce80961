// Array.prototype methods. Every method is generic (works on any array-like through Get/Set and
// `length`); dense arrays with the standard prototype take fast paths where the result cannot be
// told apart from the spec's step-by-step algorithm.

extension Runtime {
    func installArrayPrototype(_ ap: JSObject) throws(VMError) {
        try installArrayIterationMethods(ap)
        try installArrayMutationMethods(ap)
        try installArraySearchMethods(ap)
        try installArrayCopyMethods(ap)

        let values = try defineMethod(ap, "values", 0) { rt, this, _ throws(VMError) in
            try rt.createArrayIterator(try rt.toObject(this), .values)
        }
        intrinsics.arrayValuesFunction = values
        try defineDataProperty(ap, PropertyKey(symbol: wellKnownSymbols.iterator), Value(values), .hidden)
        try defineMethod(ap, "keys", 0) { rt, this, _ throws(VMError) in
            try rt.createArrayIterator(try rt.toObject(this), .keys)
        }
        try defineMethod(ap, "entries", 0) { rt, this, _ throws(VMError) in
            try rt.createArrayIterator(try rt.toObject(this), .entries)
        }

        let unscopables = try newObject(prototype: nil)
        for name in ["at", "copyWithin", "entries", "fill", "find", "findIndex", "findLast", "findLastIndex", "flat",
                     "flatMap", "includes", "keys", "toReversed", "toSorted", "toSpliced", "values"] {
            try createDataPropertyOrThrow(unscopables, key(name), .true)
        }
        try defineDataProperty(ap, PropertyKey(symbol: wellKnownSymbols.unscopables), Value(unscopables), [.configurable])
    }

    // MARK: Callback iteration: every, some, forEach, map, filter, reduce, reduceRight, find*

    private func installArrayIterationMethods(_ ap: JSObject) throws(VMError) {
        try defineMethod(ap, "every", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let f = try rt.callbackArgument(args[0], "Array.prototype.every")
            let thisArg = args[1]
            var k = 0
            while k < len {
                try rt.charge(1)
                if let v = try rt.getIndexIfPresent(o, k) {
                    if !rt.toBoolean(try rt.call3(f, thisArg, v, Value(Double(k)), Value(o))) { return .false }
                }
                k += 1
            }
            return .true
        }
        try defineMethod(ap, "some", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let f = try rt.callbackArgument(args[0], "Array.prototype.some")
            let thisArg = args[1]
            var k = 0
            while k < len {
                try rt.charge(1)
                if let v = try rt.getIndexIfPresent(o, k) {
                    if rt.toBoolean(try rt.call3(f, thisArg, v, Value(Double(k)), Value(o))) { return .true }
                }
                k += 1
            }
            return .false
        }
        try defineMethod(ap, "forEach", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let f = try rt.callbackArgument(args[0], "Array.prototype.forEach")
            let thisArg = args[1]
            var k = 0
            while k < len {
                try rt.charge(1)
                if let v = try rt.getIndexIfPresent(o, k) {
                    _ = try rt.call3(f, thisArg, v, Value(Double(k)), Value(o))
                }
                k += 1
            }
            return .undefined
        }
        try defineMethod(ap, "map", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let f = try rt.callbackArgument(args[0], "Array.prototype.map")
            let thisArg = args[1]
            let (a, ownResult) = try rt.arraySpeciesCreate(o, len)
            _ = rt.pushTemporaryRoot(Value(a))
            var k = 0
            while k < len {
                try rt.charge(1)
                if let v = try rt.getIndexIfPresent(o, k) {
                    let mapped = try rt.call3(f, thisArg, v, Value(Double(k)), Value(o))
                    try rt.defineResultElement(a, ownResult: ownResult, k, mapped)
                }
                k += 1
            }
            return Value(a)
        }
        try defineMethod(ap, "filter", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let f = try rt.callbackArgument(args[0], "Array.prototype.filter")
            let thisArg = args[1]
            let (a, ownResult) = try rt.arraySpeciesCreate(o, 0)
            _ = rt.pushTemporaryRoot(Value(a))
            var k = 0
            var to = 0
            while k < len {
                try rt.charge(1)
                if let v = try rt.getIndexIfPresent(o, k) {
                    let m2 = rt.pushTemporaryRoot(v)
                    let selected = rt.toBoolean(try rt.call3(f, thisArg, v, Value(Double(k)), Value(o)))
                    rt.popTemporaryRoots(to: m2)
                    if selected {
                        try rt.defineResultElement(a, ownResult: ownResult, to, v)
                        to += 1
                    }
                }
                k += 1
            }
            return Value(a)
        }
        try defineMethod(ap, "reduce", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let f = try rt.callbackArgument(args[0], "Array.prototype.reduce")
            var k = 0
            var acc: Value
            if args.count >= 2 {
                acc = args[1]
            } else {
                var found: Value?
                while k < len && found == nil {
                    try rt.charge(1)
                    found = try rt.getIndexIfPresent(o, k)
                    k += 1
                }
                guard let first = found else { throw rt.typeError("Reduce of empty array with no initial value") }
                acc = first
            }
            let accRoot = rt.pushTemporaryRoot(acc)
            while k < len {
                try rt.charge(1)
                if let v = try rt.getIndexIfPresent(o, k) {
                    acc = try rt.call4(f, .undefined, acc, v, Value(Double(k)), Value(o))
                    rt.temporaryRoots[accRoot] = acc
                }
                k += 1
            }
            return acc
        }
        try defineMethod(ap, "reduceRight", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let f = try rt.callbackArgument(args[0], "Array.prototype.reduceRight")
            var k = len - 1
            var acc: Value
            if args.count >= 2 {
                acc = args[1]
            } else {
                var found: Value?
                while k >= 0 && found == nil {
                    try rt.charge(1)
                    found = try rt.getIndexIfPresent(o, k)
                    k -= 1
                }
                guard let first = found else { throw rt.typeError("Reduce of empty array with no initial value") }
                acc = first
            }
            let accRoot = rt.pushTemporaryRoot(acc)
            while k >= 0 {
                try rt.charge(1)
                if let v = try rt.getIndexIfPresent(o, k) {
                    acc = try rt.call4(f, .undefined, acc, v, Value(Double(k)), Value(o))
                    rt.temporaryRoots[accRoot] = acc
                }
                k -= 1
            }
            return acc
        }
        // find, findIndex, findLast, findLastIndex: FindViaPredicate (reads holes as undefined).
        for (name, fromEnd, wantIndex) in [("find", false, false), ("findIndex", false, true),
                                          ("findLast", true, false), ("findLastIndex", true, true)] {
            try defineMethod(ap, name, 1) { rt, this, args throws(VMError) in
                let o = try rt.toObject(this)
                let m = rt.pushTemporaryRoot(Value(o))
                defer { rt.popTemporaryRoots(to: m) }
                let len = try rt.lengthOfArrayLike(o)
                let f = try rt.callbackArgument(args[0], "Array.prototype." + name)
                let thisArg = args[1]
                var k = fromEnd ? len - 1 : 0
                while fromEnd ? k >= 0 : k < len {
                    try rt.charge(1)
                    let v = try rt.getIndex(o, k)
                    if rt.toBoolean(try rt.call3(f, thisArg, v, Value(Double(k)), Value(o))) {
                        return wantIndex ? Value(Double(k)) : v
                    }
                    k += fromEnd ? -1 : 1
                }
                return wantIndex ? Value(-1.0) : .undefined
            }
        }
    }

    // MARK: Mutators: push, pop, shift, unshift, splice, reverse, fill, copyWithin

    private func installArrayMutationMethods(_ ap: JSObject) throws(VMError) {
        try defineMethod(ap, "push", 1) { rt, this, args throws(VMError) in
            if this.isObject {
                let o = this.object
                if rt.isFastArray(o) && o.isExtensible && !o.flags.contains(.lengthReadOnly)
                    && o.elements.count == Int(o.arrayLength) && Int(o.arrayLength) + args.count <= 4294967295
                    && !rt.protoChainMayHaveIndices(o) {
                    try rt.heap.charge(args.count * 8, to: o)
                    try rt.charge(args.count)
                    for i in 0..<args.count { o.elements.append(args[i]) }
                    o.arrayLength = UInt32(o.elements.count)
                    return Value(Double(o.arrayLength))
                }
            }
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            var len = try rt.lengthOfArrayLike(o)
            if len + args.count > Runtime.maxSafeLength {
                throw rt.typeError("Pushing \(args.count) elements on an array-like of length \(len) is disallowed")
            }
            for i in 0..<args.count {
                try rt.charge(1)
                try rt.setOrThrow(o, rt.indexKey(len), args[i])
                len += 1
            }
            try rt.setOrThrow(o, rt.names.length, Value(Double(len)))
            return Value(Double(len))
        }
        try defineMethod(ap, "pop", 0) { rt, this, _ throws(VMError) in
            if this.isObject {
                let o = this.object
                if rt.isFastArray(o) && !o.flags.contains(.lengthReadOnly) && o.elements.count == Int(o.arrayLength),
                   let last = o.elements.last, !last.isHole {
                    o.elements.removeLast()
                    o.arrayLength -= 1
                    return last
                }
            }
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            if len == 0 {
                try rt.setOrThrow(o, rt.names.length, Value(0.0))
                return .undefined
            }
            let k = rt.indexKey(len - 1)
            let element = try rt.get(o, k, receiver: Value(o))
            let r = rt.pushTemporaryRoot(element)
            defer { rt.popTemporaryRoots(to: r) }
            try rt.deleteOrThrow(o, k)
            try rt.setOrThrow(o, rt.names.length, Value(Double(len - 1)))
            return element
        }
        try defineMethod(ap, "shift", 0) { rt, this, _ throws(VMError) in
            if this.isObject {
                let o = this.object
                if !o.flags.contains(.lengthReadOnly) && rt.isPackedFastArray(o), let first = o.elements.first {
                    try rt.charge(o.elements.count / 64 + 1)
                    o.elements.removeFirst()
                    o.arrayLength -= 1
                    return first
                }
            }
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            if len == 0 {
                try rt.setOrThrow(o, rt.names.length, Value(0.0))
                return .undefined
            }
            let first = try rt.getIndex(o, 0)
            _ = rt.pushTemporaryRoot(first)
            var k = 1
            while k < len {
                try rt.charge(1)
                if let v = try rt.getIndexIfPresent(o, k) {
                    try rt.setOrThrow(o, rt.indexKey(k - 1), v)
                } else {
                    try rt.deleteOrThrow(o, rt.indexKey(k - 1))
                }
                k += 1
            }
            try rt.deleteOrThrow(o, rt.indexKey(len - 1))
            try rt.setOrThrow(o, rt.names.length, Value(Double(len - 1)))
            return first
        }
        try defineMethod(ap, "unshift", 1) { rt, this, args throws(VMError) in
            let argCount = args.count
            if this.isObject {
                let o = this.object
                if o.isExtensible && !o.flags.contains(.lengthReadOnly) && rt.isPackedFastArray(o)
                    && o.elements.count + argCount <= 4294967295 && !rt.protoChainMayHaveIndices(o) {
                    try rt.heap.charge(argCount * 8, to: o)
                    try rt.charge(o.elements.count / 64 + argCount + 1)
                    o.elements.insert(contentsOf: args.array(), at: 0)
                    o.arrayLength = UInt32(o.elements.count)
                    return Value(Double(o.arrayLength))
                }
            }
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            if argCount > 0 {
                if len + argCount > Runtime.maxSafeLength { throw rt.typeError("Array length exceeds the maximum") }
                var k = len
                while k > 0 {
                    try rt.charge(1)
                    let to = rt.indexKey(k + argCount - 1)
                    if let v = try rt.getIndexIfPresent(o, k - 1) {
                        try rt.setOrThrow(o, to, v)
                    } else {
                        try rt.deleteOrThrow(o, to)
                    }
                    k -= 1
                }
                for j in 0..<argCount { try rt.setOrThrow(o, rt.indexKey(j), args[j]) }
            }
            try rt.setOrThrow(o, rt.names.length, Value(Double(len + argCount)))
            return Value(Double(len + argCount))
        }
        try defineMethod(ap, "splice", 2) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let actualStart = try rt.relativeIndex(args[0], length: len, defaultValue: 0)
            let itemCount = max(args.count - 2, 0)
            let deleteCount: Int
            if args.count == 0 {
                deleteCount = 0
            } else if args.count == 1 {
                deleteCount = len - actualStart
            } else {
                let dc = try rt.toIntegerOrInfinity(args[1])
                deleteCount = Int(min(max(dc, 0), Double(len - actualStart)))
            }
            if len + itemCount - deleteCount > Runtime.maxSafeLength {
                throw rt.typeError("Array length exceeds the maximum")
            }
            let (a, intrinsicResult) = try rt.arraySpeciesCreate(o, deleteCount)
            _ = rt.pushTemporaryRoot(Value(a))
            // Fast path: packed array, plain result.
            if intrinsicResult && o.isExtensible && !o.flags.contains(.lengthReadOnly) && rt.isPackedFastArray(o)
                && o.elements.count == len && !rt.protoChainMayHaveIndices(o) {
                try rt.charge(len / 32 + itemCount + deleteCount + 1)
                try rt.heap.charge(max(0, itemCount - deleteCount) * 8 + deleteCount * 8, to: o)
                a.elements = ContiguousArray(o.elements[actualStart..<(actualStart + deleteCount)])
                a.arrayLength = UInt32(deleteCount)
                o.elements.replaceSubrange(actualStart..<(actualStart + deleteCount), with: args.array(from: 2))
                o.arrayLength = UInt32(o.elements.count)
                return Value(a)
            }
            var k = 0
            while k < deleteCount {
                try rt.charge(1)
                if let v = try rt.getIndexIfPresent(o, actualStart + k) {
                    try rt.createDataPropertyOrThrow(a, rt.indexKey(k), v)
                }
                k += 1
            }
            try rt.setOrThrow(a, rt.names.length, Value(Double(deleteCount)))
            if itemCount < deleteCount {
                k = actualStart
                while k < len - deleteCount {
                    try rt.charge(1)
                    let to = rt.indexKey(k + itemCount)
                    if let v = try rt.getIndexIfPresent(o, k + deleteCount) {
                        try rt.setOrThrow(o, to, v)
                    } else {
                        try rt.deleteOrThrow(o, to)
                    }
                    k += 1
                }
                k = len
                while k > len - deleteCount + itemCount {
                    try rt.charge(1)
                    try rt.deleteOrThrow(o, rt.indexKey(k - 1))
                    k -= 1
                }
            } else if itemCount > deleteCount {
                k = len - deleteCount
                while k > actualStart {
                    try rt.charge(1)
                    let to = rt.indexKey(k + itemCount - 1)
                    if let v = try rt.getIndexIfPresent(o, k + deleteCount - 1) {
                        try rt.setOrThrow(o, to, v)
                    } else {
                        try rt.deleteOrThrow(o, to)
                    }
                    k -= 1
                }
            }
            for i in 0..<itemCount {
                try rt.setOrThrow(o, rt.indexKey(actualStart + i), args[i + 2])
            }
            try rt.setOrThrow(o, rt.names.length, Value(Double(len - deleteCount + itemCount)))
            return Value(a)
        }
        try defineMethod(ap, "reverse", 0) { rt, this, _ throws(VMError) in
            let o = try rt.toObject(this)
            if rt.isPackedFastArray(o) {
                try rt.charge(o.elements.count / 32 + 1)
                o.elements.reverse()
                return Value(o)
            }
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let middle = len / 2
            var lower = 0
            while lower != middle {
                try rt.charge(1)
                let upper = len - lower - 1
                let lowerValue = try rt.getIndexIfPresent(o, lower)
                let r = rt.pushTemporaryRoot(lowerValue ?? .undefined)
                defer { rt.popTemporaryRoots(to: r) }
                let upperValue = try rt.getIndexIfPresent(o, upper)
                _ = rt.pushTemporaryRoot(upperValue ?? .undefined)
                let lk = rt.indexKey(lower), uk = rt.indexKey(upper)
                if let lv = lowerValue, let uv = upperValue {
                    try rt.setOrThrow(o, lk, uv)
                    try rt.setOrThrow(o, uk, lv)
                } else if let uv = upperValue {
                    try rt.setOrThrow(o, lk, uv)
                    try rt.deleteOrThrow(o, uk)
                } else if let lv = lowerValue {
                    try rt.deleteOrThrow(o, lk)
                    try rt.setOrThrow(o, uk, lv)
                }
                lower += 1
            }
            return Value(o)
        }
        try defineMethod(ap, "fill", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let k = try rt.relativeIndex(args[1], length: len, defaultValue: 0)
            let final = try rt.relativeIndex(args[2], length: len, defaultValue: len)
            if k < final && rt.isPackedFastArray(o) && !o.flags.contains(.lengthReadOnly) && final <= o.elements.count {
                try rt.charge((final - k) / 16 + 1)
                for i in k..<final { o.elements[i] = args[0] }
                return Value(o)
            }
            var i = k
            while i < final {
                try rt.charge(1)
                try rt.setOrThrow(o, rt.indexKey(i), args[0])
                i += 1
            }
            return Value(o)
        }
        try defineMethod(ap, "copyWithin", 2) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            var to = try rt.relativeIndex(args[0], length: len, defaultValue: 0)
            var from = try rt.relativeIndex(args[1], length: len, defaultValue: 0)
            let final = try rt.relativeIndex(args[2], length: len, defaultValue: len)
            var count = min(final - from, len - to)
            var direction = 1
            if from < to && to < from + count {
                direction = -1
                from += count - 1
                to += count - 1
            }
            while count > 0 {
                try rt.charge(1)
                let toKey = rt.indexKey(to)
                if let v = try rt.getIndexIfPresent(o, from) {
                    try rt.setOrThrow(o, toKey, v)
                } else {
                    try rt.deleteOrThrow(o, toKey)
                }
                from += direction
                to += direction
                count -= 1
            }
            return Value(o)
        }
    }

    // MARK: Searching and strings: indexOf, lastIndexOf, includes, at, join, toString, toLocaleString

    private func installArraySearchMethods(_ ap: JSObject) throws(VMError) {
        try defineMethod(ap, "indexOf", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let len = try rt.lengthOfArrayLike(o)
            if len == 0 { return Value(-1.0) }
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let n = try rt.toIntegerOrInfinity(args[1])
            if n >= Double(len) { return Value(-1.0) }
            var k = n >= 0 ? Int(n) : Int(max(Double(len) + n, 0))
            let target = args[0]
            if let candidates = rt.sparseCandidateIndices(o, k..<len) {
                for i in candidates {
                    try rt.charge(1)
                    if let v = try rt.getIndexIfPresent(o, i), rt.strictEquals(v, target) { return Value(Double(i)) }
                }
                return Value(-1.0)
            }
            while k < len {
                try rt.charge(1)
                if let v = try rt.getIndexIfPresent(o, k), rt.strictEquals(v, target) { return Value(Double(k)) }
                k += 1
            }
            return Value(-1.0)
        }
        try defineMethod(ap, "lastIndexOf", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let len = try rt.lengthOfArrayLike(o)
            if len == 0 { return Value(-1.0) }
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let n = args.count > 1 ? try rt.toIntegerOrInfinity(args[1]) : Double(len - 1)
            let kd = n >= 0 ? min(n, Double(len - 1)) : Double(len) + n
            if kd < 0 { return Value(-1.0) }
            var k = Int(kd)
            let target = args[0]
            if k >= 0, let candidates = rt.sparseCandidateIndices(o, 0..<(k + 1)) {
                for i in candidates.reversed() {
                    try rt.charge(1)
                    if let v = try rt.getIndexIfPresent(o, i), rt.strictEquals(v, target) { return Value(Double(i)) }
                }
                return Value(-1.0)
            }
            while k >= 0 {
                try rt.charge(1)
                if let v = try rt.getIndexIfPresent(o, k), rt.strictEquals(v, target) { return Value(Double(k)) }
                k -= 1
            }
            return Value(-1.0)
        }
        try defineMethod(ap, "includes", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let len = try rt.lengthOfArrayLike(o)
            if len == 0 { return .false }
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let n = try rt.toIntegerOrInfinity(args[1])
            if n >= Double(len) { return .false }
            var k = n >= 0 ? Int(n) : Int(max(Double(len) + n, 0))
            let target = args[0]
            if let candidates = rt.sparseCandidateIndices(o, k..<len) {
                // Absent indices read as undefined.
                var expected = k
                for i in candidates {
                    try rt.charge(1)
                    if target.isUndefined && i != expected { return .true }
                    if rt.sameValueZero(try rt.getIndex(o, i), target) { return .true }
                    expected = i + 1
                }
                return Value(target.isUndefined && expected < len)
            }
            while k < len {
                try rt.charge(1)
                if rt.sameValueZero(try rt.getIndex(o, k), target) { return .true }
                k += 1
            }
            return .false
        }
        try defineMethod(ap, "at", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let rel = try rt.toIntegerOrInfinity(args[0])
            let k = rel >= 0 ? rel : Double(len) + rel
            if k < 0 || k >= Double(len) { return .undefined }
            return try rt.getIndex(o, Int(k))
        }
        try defineMethod(ap, "join", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            return try rt.arrayJoin(o, args[0], locale: false)
        }
        try defineMethod(ap, "toString", 0) { rt, this, _ throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let f = try rt.get(o, rt.names.join, receiver: Value(o))
            if let fn = f.asFunction {
                return try rt.callFunction(fn, this: Value(o), arguments: .none)
            }
            return try rt.objectToString(Value(o))
        }
        try defineMethod(ap, "toLocaleString", 0) { rt, this, _ throws(VMError) in
            let o = try rt.toObject(this)
            return try rt.arrayJoin(o, .undefined, locale: true)
        }
    }

    /// `join` (and `toLocaleString` when `locale`), with cycle detection and budget checks.
    func arrayJoin(_ o: JSObject, _ separator: Value, locale: Bool) throws(VMError) -> Value {
        let state = builtinsAState
        let id = ObjectIdentifier(o)
        if state.joinStack.contains(id) { return Value(intern("")) }
        let m = pushTemporaryRoot(Value(o))
        defer { popTemporaryRoots(to: m) }
        let len = try lengthOfArrayLike(o)
        var sep: ContiguousArray<UInt16> = [44]
        if !locale && !separator.isUndefined { sep = try toJSString(separator).units }
        if !locale, o.kind == .array, usesElements(o), o.elements.count == len,
           let joined = try joinStringElements(o, separator: sep) {
            return joined
        }
        state.joinStack.append(id)
        defer { state.joinStack.removeLast() }
        var out = ContiguousArray<UInt16>()
        var nextCheck = 1 << 16
        var k = 0
        while k < len {
            try charge(1)
            if k > 0 { out.append(contentsOf: sep) }
            let element = try getIndex(o, k)
            if !element.isNullish {
                let s: JSString
                if locale {
                    s = try toJSString(try invoke(element, key("toLocaleString"), []))
                } else if element.isString {
                    s = element.string
                } else {
                    s = try toJSString(element)
                }
                try charge(s.count / 16)
                out.append(contentsOf: s.unitBuffer)
            }
            if out.count >= nextCheck {
                if out.count > Runtime.maxStringLength { throw rangeError("Invalid string length") }
                if !heap.canAllocate(out.count * 2) { throw VMError.terminated(.memory) }
                nextCheck = out.count * 2
            }
            k += 1
        }
        if out.count > Runtime.maxStringLength { throw rangeError("Invalid string length") }
        if !heap.canAllocate(out.count * 2 + Heap.cellHeaderBytes) { throw VMError.terminated(.memory) }
        if out.isEmpty { return Value(intern("")) }
        return Value(try newString(out))
    }

    /// `join` of a dense array whose elements are all strings (what `parts.join(sep)` and
    /// `buf.join('')` see): sized once and copied without per-element reference counting.
    /// nil when an element is not a string (the generic path converts those).
    private func joinStringElements(_ o: JSObject, separator: ContiguousArray<UInt16>) throws(VMError) -> Value? {
        let n = o.elements.count
        var total = 0
        let allStrings = o.elements.withUnsafeBufferPointer { elements -> Bool in
            for e in elements {
                guard e.isString else { return false }
                total &+= Unmanaged<JSString>.fromOpaque(e.rawPointer)._withUnsafeGuaranteedRef { $0.count }
            }
            return true
        }
        if !allStrings { return nil }
        if n > 1 { total &+= (n &- 1) &* separator.count }
        try charge(n &+ total / 16)
        if total > Runtime.maxStringLength { throw rangeError("Invalid string length") }
        if !heap.canAllocate(total &* 2 &+ Heap.cellHeaderBytes) { throw VMError.terminated(.memory) }
        if total == 0 { return Value(intern("")) }
        let out = JSString.makeUnits(count: total) { start in
            o.elements.withUnsafeBufferPointer { elements in
                separator.withUnsafeBufferPointer { sep in
                    var p = start
                    for i in 0..<elements.count {
                        if i > 0 { p = JSString.copy(sep, to: p) }
                        p = Unmanaged<JSString>.fromOpaque(elements[i].rawPointer)._withUnsafeGuaranteedRef { s in
                            JSString.copy(s.unitBuffer, to: p)
                        }
                    }
                }
            }
        }
        return Value(try newString(out))
    }

    // MARK: Copying: concat, slice, flat, flatMap, toReversed, toSpliced, with

    private func installArrayCopyMethods(_ ap: JSObject) throws(VMError) {
        try defineMethod(ap, "concat", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let (a, _) = try rt.arraySpeciesCreate(o, 0)
            _ = rt.pushTemporaryRoot(Value(a))
            var n = 0
            let spreadKey = PropertyKey(symbol: rt.wellKnownSymbols.isConcatSpreadable)
            for i in -1..<args.count {
                let e = i < 0 ? Value(o) : args[i]
                var spreadable = false
                if e.isObject {
                    let s = try rt.get(e.object, spreadKey, receiver: e)
                    spreadable = s.isUndefined ? e.object.kind == .array : rt.toBoolean(s)
                }
                if spreadable {
                    let eo = e.object
                    let len = try rt.lengthOfArrayLike(eo)
                    if n + len > Runtime.maxSafeLength { throw rt.typeError("Array length exceeds the maximum") }
                    if rt.usesElements(eo) && rt.isFastArray(a) && a.elements.count == n && Int(a.arrayLength) == n
                        && a.isExtensible && eo.elements.count == len && !eo.elements.contains(where: { $0.isHole })
                        && n + len <= 4294967295 {
                        try rt.charge(len / 16 + 1)
                        try rt.heap.charge(len * 8, to: a)
                        a.elements.append(contentsOf: eo.elements)
                        a.arrayLength = UInt32(a.elements.count)
                        n += len
                        continue
                    }
                    if let candidates = rt.sparseCandidateIndices(eo, 0..<len) {
                        for k in candidates {
                            try rt.charge(1)
                            if let v = try rt.getIndexIfPresent(eo, k) {
                                try rt.createDataPropertyOrThrow(a, rt.indexKey(n + k), v)
                            }
                        }
                        n += len
                        continue
                    }
                    var k = 0
                    while k < len {
                        try rt.charge(1)
                        if let v = try rt.getIndexIfPresent(eo, k) {
                            try rt.createDataPropertyOrThrow(a, rt.indexKey(n), v)
                        }
                        n += 1
                        k += 1
                    }
                } else {
                    if n >= Runtime.maxSafeLength { throw rt.typeError("Array length exceeds the maximum") }
                    try rt.createDataPropertyOrThrow(a, rt.indexKey(n), e)
                    n += 1
                }
            }
            try rt.setOrThrow(a, rt.names.length, Value(Double(n)))
            return Value(a)
        }
        try defineMethod(ap, "slice", 2) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            var k = try rt.relativeIndex(args[0], length: len, defaultValue: 0)
            let final = try rt.relativeIndex(args[1], length: len, defaultValue: len)
            let count = max(final - k, 0)
            let (a, intrinsicResult) = try rt.arraySpeciesCreate(o, count)
            _ = rt.pushTemporaryRoot(Value(a))
            if intrinsicResult && count > 0 && rt.usesElements(o) && final <= o.elements.count
                && !o.elements[k..<final].contains(where: { $0.isHole }) {
                try rt.charge(count / 16 + 1)
                try rt.heap.charge(count * 8, to: a)
                a.elements = ContiguousArray(o.elements[k..<final])
                a.arrayLength = UInt32(count)
                return Value(a)
            }
            var n = 0
            while k < final {
                try rt.charge(1)
                if let v = try rt.getIndexIfPresent(o, k) {
                    try rt.createDataPropertyOrThrow(a, rt.indexKey(n), v)
                }
                k += 1
                n += 1
            }
            try rt.setOrThrow(a, rt.names.length, Value(Double(n)))
            return Value(a)
        }
        try defineMethod(ap, "flat", 0) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let sourceLen = try rt.lengthOfArrayLike(o)
            var depth = 1.0
            if !args[0].isUndefined {
                depth = try rt.toIntegerOrInfinity(args[0])
                if depth < 0 { depth = 0 }
            }
            let (a, _) = try rt.arraySpeciesCreate(o, 0)
            _ = rt.pushTemporaryRoot(Value(a))
            _ = try rt.flattenIntoArray(a, o, sourceLen, 0, depth, mapper: nil, thisArg: .undefined)
            return Value(a)
        }
        try defineMethod(ap, "flatMap", 1) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let sourceLen = try rt.lengthOfArrayLike(o)
            let f = try rt.callbackArgument(args[0], "Array.prototype.flatMap")
            let (a, _) = try rt.arraySpeciesCreate(o, 0)
            _ = rt.pushTemporaryRoot(Value(a))
            _ = try rt.flattenIntoArray(a, o, sourceLen, 0, 1, mapper: f, thisArg: args[1])
            return Value(a)
        }
        try defineMethod(ap, "toReversed", 0) { rt, this, _ throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let a = try rt.arrayCreate(len)
            _ = rt.pushTemporaryRoot(Value(a))
            var k = 0
            while k < len {
                try rt.charge(1)
                let v = try rt.getIndex(o, len - k - 1)
                try rt.createDataPropertyOrThrow(a, rt.indexKey(k), v)
                k += 1
            }
            return Value(a)
        }
        try defineMethod(ap, "toSpliced", 2) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let actualStart = try rt.relativeIndex(args[0], length: len, defaultValue: 0)
            let insertCount = max(args.count - 2, 0)
            let skipCount: Int
            if args.count == 0 {
                skipCount = 0
            } else if args.count == 1 {
                skipCount = len - actualStart
            } else {
                let sc = try rt.toIntegerOrInfinity(args[1])
                skipCount = Int(min(max(sc, 0), Double(len - actualStart)))
            }
            let newLen = len + insertCount - skipCount
            if newLen > Runtime.maxSafeLength { throw rt.typeError("Array length exceeds the maximum") }
            let a = try rt.arrayCreate(newLen)
            _ = rt.pushTemporaryRoot(Value(a))
            var i = 0
            var r = actualStart + skipCount
            while i < actualStart {
                try rt.charge(1)
                try rt.createDataPropertyOrThrow(a, rt.indexKey(i), try rt.getIndex(o, i))
                i += 1
            }
            for j in 0..<insertCount {
                try rt.createDataPropertyOrThrow(a, rt.indexKey(i), args[j + 2])
                i += 1
            }
            while i < newLen {
                try rt.charge(1)
                try rt.createDataPropertyOrThrow(a, rt.indexKey(i), try rt.getIndex(o, r))
                i += 1
                r += 1
            }
            return Value(a)
        }
        try defineMethod(ap, "with", 2) { rt, this, args throws(VMError) in
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let rel = try rt.toIntegerOrInfinity(args[0])
            let actual = rel >= 0 ? rel : Double(len) + rel
            if actual >= Double(len) || actual < 0 { throw rt.rangeError("Invalid index : \(rt.describeForError(args[0]))") }
            let index = Int(actual)
            let a = try rt.arrayCreate(len)
            _ = rt.pushTemporaryRoot(Value(a))
            var k = 0
            while k < len {
                try rt.charge(1)
                let v = k == index ? args[1] : try rt.getIndex(o, k)
                try rt.createDataPropertyOrThrow(a, rt.indexKey(k), v)
                k += 1
            }
            return Value(a)
        }
        try installArraySortMethods(ap)
    }

    /// FlattenIntoArray. Returns the next target index.
    func flattenIntoArray(_ target: JSObject, _ source: JSObject, _ sourceLen: Int, _ start: Int, _ depth: Double,
                          mapper: JSFunction?, thisArg: Value) throws(VMError) -> Int {
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > budget.maxCallDepth { throw rangeError("Maximum call stack size exceeded") }
        var targetIndex = start
        var sourceIndex = 0
        while sourceIndex < sourceLen {
            try charge(1)
            if var element = try getIndexIfPresent(source, sourceIndex) {
                if let mapper {
                    element = try call3(mapper, thisArg, element, Value(Double(sourceIndex)), Value(source))
                }
                if depth > 0 && element.isObject && element.object.kind == .array {
                    let m = pushTemporaryRoot(element)
                    defer { popTemporaryRoots(to: m) }
                    let len = try lengthOfArrayLike(element.object)
                    targetIndex = try flattenIntoArray(target, element.object, len, targetIndex,
                                                       depth == .infinity ? depth : depth - 1,
                                                       mapper: nil, thisArg: .undefined)
                } else {
                    if targetIndex >= Runtime.maxSafeLength { throw typeError("Array length exceeds the maximum") }
                    try createDataPropertyOrThrow(target, indexKey(targetIndex), element)
                    targetIndex += 1
                }
            }
            sourceIndex += 1
        }
        return targetIndex
    }
}
