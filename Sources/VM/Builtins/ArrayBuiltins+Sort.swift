// Array.prototype.sort and toSorted: a stable merge sort over the collected items.

extension Runtime {
    func installArraySortMethods(_ ap: JSObject) throws(VMError) {
        try defineMethod(ap, "sort", 1) { rt, this, args throws(VMError) in
            let cmp = args[0]
            if !cmp.isUndefined && !rt.isCallable(cmp) {
                throw rt.typeError("The comparison function must be either a function or undefined")
            }
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            // SortIndexedProperties with SKIP-HOLES.
            let holder = try rt.newArray()
            _ = rt.pushTemporaryRoot(Value(holder))
            if let candidates = rt.sparseCandidateIndices(o, 0..<len) {
                for k in candidates {
                    try rt.charge(1)
                    if let v = try rt.getIndexIfPresent(o, k) { holder.elements.append(v) }
                }
            } else {
                var k = 0
                while k < len {
                    try rt.charge(1)
                    if let v = try rt.getIndexIfPresent(o, k) { holder.elements.append(v) }
                    k += 1
                }
            }
            let sorted = try rt.sortValues(Array(holder.elements), comparator: cmp)
            let itemCount = sorted.count
            if itemCount == len && rt.isPackedFastArray(o) && o.elements.count == len {
                // A packed array still packed after the comparator ran: write the items in place.
                try rt.charge(itemCount / 16 + 1)
                o.elements = ContiguousArray(sorted)
                return Value(o)
            }
            var j = 0
            while j < itemCount {
                try rt.charge(1)
                try rt.setOrThrow(o, rt.indexKey(j), sorted[j])
                j += 1
            }
            if let candidates = rt.sparseCandidateIndices(o, j..<len) {
                for k in candidates {
                    try rt.charge(1)
                    try rt.deleteOrThrow(o, rt.indexKey(k))
                }
            } else {
                while j < len {
                    try rt.charge(1)
                    try rt.deleteOrThrow(o, rt.indexKey(j))
                    j += 1
                }
            }
            return Value(o)
        }
        try defineMethod(ap, "toSorted", 1) { rt, this, args throws(VMError) in
            let cmp = args[0]
            if !cmp.isUndefined && !rt.isCallable(cmp) {
                throw rt.typeError("The comparison function must be either a function or undefined")
            }
            let o = try rt.toObject(this)
            let m = rt.pushTemporaryRoot(Value(o))
            defer { rt.popTemporaryRoots(to: m) }
            let len = try rt.lengthOfArrayLike(o)
            let a = try rt.arrayCreate(len)
            _ = rt.pushTemporaryRoot(Value(a))
            // SortIndexedProperties with READ-THROUGH-HOLES.
            let holder = try rt.newArray()
            _ = rt.pushTemporaryRoot(Value(holder))
            var k = 0
            while k < len {
                try rt.charge(1)
                holder.elements.append(try rt.getIndex(o, k))
                k += 1
            }
            let sorted = try rt.sortValues(Array(holder.elements), comparator: cmp)
            try rt.heap.charge(sorted.count * 8, to: a)
            a.elements = ContiguousArray(sorted)
            return Value(a)
        }
    }

    /// Sorts `items` by SortCompare (undefined last; `comparator` or string order), stably.
    /// The caller keeps `items` rooted.
    func sortValues(_ items: [Value], comparator: Value) throws(VMError) -> [Value] {
        var defined: [Value] = []
        defined.reserveCapacity(items.count)
        var undefinedCount = 0
        for v in items { if v.isUndefined { undefinedCount += 1 } else { defined.append(v) } }
        var result: [Value]
        if let f = comparator.asFunction {
            result = try mergeSort(defined) { (x, y) throws(VMError) -> Bool in
                // true when y must come before x (x > y).
                try charge(1)
                let r = try call2(f, .undefined, x, y)
                let d = try toNumber(r)
                return d > 0
            }
        } else {
            // Compare by ToString, computed once per item; the strings' code units go into one
            // buffer so comparisons touch no reference counts.
            var flat = ContiguousArray<UInt16>()
            var offsets: [Int] = []
            offsets.reserveCapacity(defined.count + 1)
            for v in defined {
                try charge(1)
                offsets.append(flat.count)
                if v.isString {
                    flat.append(contentsOf: v.string.unitBuffer)
                } else if v.isNumber {
                    flat.append(contentsOf: NumberConversion.toString(v.number).utf16)
                } else {
                    // ToString may run script code; the caller keeps `items` rooted.
                    flat.append(contentsOf: try toJSString(v).units)
                }
                if !heap.canAllocate(flat.count * 2) { throw VMError.terminated(.memory) }
            }
            offsets.append(flat.count)
            let order = flat.withUnsafeBufferPointer { (buf) -> [Int] in
                offsets.withUnsafeBufferPointer { (off) -> [Int] in
                    Runtime.mergeSortNonThrowing(Array(0..<defined.count)) { (x, y) -> Bool in
                        // x > y in code-unit order.
                        var i = off[x], j = off[y]
                        let ie = off[x + 1], je = off[y + 1]
                        while i < ie && j < je {
                            let a = buf[i], b = buf[j]
                            if a != b { return a > b }
                            i += 1
                            j += 1
                        }
                        return i < ie
                    }
                }
            }
            try charge(order.count / 4)
            result = order.map { defined[$0] }
        }
        result.append(contentsOf: repeatElement(Value.undefined, count: undefinedCount))
        return result
    }

    /// `mergeSort` for comparisons that cannot throw.
    static func mergeSortNonThrowing<T>(_ input: [T], _ greater: (T, T) -> Bool) -> [T] {
        var a = input
        let n = a.count
        if n < 2 { return a }
        let run = 8
        var start = 0
        while start < n {
            let end = min(start + run, n)
            var i = start + 1
            while i < end {
                let x = a[i]
                var j = i
                while j > start && greater(a[j - 1], x) {
                    a[j] = a[j - 1]
                    j -= 1
                }
                a[j] = x
                i += 1
            }
            start = end
        }
        var b = a
        var width = run
        while width < n {
            var lo = 0
            while lo < n {
                let mid = min(lo + width, n)
                let hi = min(lo + 2 * width, n)
                var i = lo, j = mid, k = lo
                if mid < hi && !greater(a[mid - 1], a[mid]) {
                    while k < hi { b[k] = a[k]; k += 1 }
                } else {
                    while i < mid && j < hi {
                        if greater(a[i], a[j]) {
                            b[k] = a[j]; j += 1
                        } else {
                            b[k] = a[i]; i += 1
                        }
                        k += 1
                    }
                    while i < mid { b[k] = a[i]; i += 1; k += 1 }
                    while j < hi { b[k] = a[j]; j += 1; k += 1 }
                }
                lo = hi
            }
            swap(&a, &b)
            width *= 2
        }
        return a
    }

    /// Stable merge sort. `greater(x, y)` is true when x must come after y.
    func mergeSort(_ input: [Value], _ greater: (Value, Value) throws(VMError) -> Bool) throws(VMError) -> [Value] {
        var a = input
        let n = a.count
        if n < 2 { return a }
        // Insertion sort runs of 8, then merge bottom-up.
        let run = 8
        var start = 0
        while start < n {
            let end = min(start + run, n)
            var i = start + 1
            while i < end {
                let x = a[i]
                var j = i
                while j > start, try greater(a[j - 1], x) {
                    a[j] = a[j - 1]
                    j -= 1
                }
                a[j] = x
                i += 1
            }
            start = end
        }
        var b = a
        var width = run
        while width < n {
            var lo = 0
            while lo < n {
                let mid = min(lo + width, n)
                let hi = min(lo + 2 * width, n)
                var i = lo, j = mid, k = lo
                if mid < hi, try !greater(a[mid - 1], a[mid]) {
                    // Already in order.
                    while k < hi { b[k] = a[k]; k += 1 }
                } else {
                    while i < mid && j < hi {
                        if try greater(a[i], a[j]) {
                            b[k] = a[j]; j += 1
                        } else {
                            b[k] = a[i]; i += 1
                        }
                        k += 1
                    }
                    while i < mid { b[k] = a[i]; i += 1; k += 1 }
                    while j < hi { b[k] = a[j]; j += 1; k += 1 }
                }
                lo = hi
            }
            swap(&a, &b)
            width *= 2
        }
        return a
    }
}
