// The register VM's dispatch loop.
//
// One `execute()` runs script frames until the frame it started with returns. Script-to-script
// calls and returns stay inside the loop (no native recursion per JS call); natives that call back
// into script code start a nested `execute()`. The hot state — instruction pointer, register base,
// constants — lives in local variables, and values are NaN-boxed bit patterns, so the fast paths
// touch no reference counts. Slow paths live in Interpreter+Slow.swift.

extension Runtime {
    /// Runs a program's top-level code in this runtime with the current budget.
    public func evaluate(_ program: Program) throws(VMError) -> Value {
        let block = codeBlock(for: program.main)
        let f = try newScriptFunction(block: block, prototype: intrinsics.functionPrototype, flags: [.extensible])
        let code = program.main
        let thisValue: Value = code.flags.contains(.strict) ? .undefined : Value(globalObject)
        return try callScript(f, block: block, this: thisValue, arguments: .none, newTarget: .undefined, isConstruct: false)
    }

    /// [[Construct]] of a script function.
    func constructScriptFunction(_ f: JSFunction, arguments: Arguments) throws(VMError) -> Value {
        let block = f.block!
        let thisValue: Value
        if block.code.flags.contains(.derivedConstructor) {
            thisValue = .uninitialized
        } else {
            let proto = try prototypeFromConstructor(arguments.newTarget, fallback: intrinsics.objectPrototype)
            thisValue = Value(try newObject(prototype: proto))
        }
        return try callScript(f, block: block, this: thisValue, arguments: arguments, newTarget: arguments.newTarget,
                              isConstruct: true)
    }

    /// Pushes an entry frame for `f` above every register in use and runs it to completion.
    private func callScript(_ f: JSFunction, block: CodeBlock, this: Value, arguments: Arguments,
                            newTarget: Value, isConstruct: Bool) throws(VMError) -> Value {
        try callScript(Unmanaged.passUnretained(f).toOpaque(), block: Unmanaged.passUnretained(block).toOpaque(),
                       this: this, arguments: arguments, newTarget: newTarget, isConstruct: isConstruct)
    }

    /// `callScript` on raw pointers, so callbacks from builtins (map, forEach, sort…) cost no
    /// reference counting per call.
    func callScript(_ fRaw: UnsafeMutableRawPointer, block blockRaw: UnsafeMutableRawPointer, this: Value,
                    arguments: Arguments, newTarget: Value, isConstruct: Bool) throws(VMError) -> Value {
        let savedTop = registerTop
        let baseIndex = savedTop
        let argc = arguments.count
        let registerCount = Unmanaged<CodeBlock>.fromOpaque(blockRaw)._withUnsafeGuaranteedRef { $0.registerCount }
        if baseIndex + 1 + argc + registerCount >= registerCapacity {
            throw rangeError("Maximum call stack size exceeded")
        }
        registers[baseIndex] = this
        if argc > 0, let src = arguments.base {
            // Callbacks get a few arguments: a plain loop beats a memmove call.
            let dst = registers + baseIndex + 1
            for i in 0..<argc { dst[i] = src[i] }
        }
        defer { registerTop = savedTop }
        try pushFrame(fRaw, block: blockRaw, baseIndex: baseIndex, argumentCount: argc, newTarget: newTarget,
                      isConstruct: isConstruct, returnRegister: -1, isEntry: true)
        return try execute()
    }

    /// Sets up a frame whose `this` and arguments are already at `baseIndex`.
    @inline(__always)
    func pushFrame(_ f: JSFunction, block: CodeBlock, baseIndex: Int, argumentCount argc: Int, newTarget: Value,
                   isConstruct: Bool, returnRegister: Int, isEntry: Bool) throws(VMError) {
        try pushFrame(Unmanaged.passUnretained(f).toOpaque(), block: Unmanaged.passUnretained(block).toOpaque(),
                      baseIndex: baseIndex, argumentCount: argc, newTarget: newTarget, isConstruct: isConstruct,
                      returnRegister: returnRegister, isEntry: isEntry)
    }

    /// `pushFrame` on raw object pointers: the hot call path then does no reference counting
    /// (the function and block are only touched through guaranteed references).
    @inline(__always)
    func pushFrame(_ fRaw: UnsafeMutableRawPointer, block blockRaw: UnsafeMutableRawPointer, baseIndex: Int,
                   argumentCount argc: Int, newTarget: Value,
                   isConstruct: Bool, returnRegister: Int, isEntry: Bool) throws(VMError) {
        let blockRef = Unmanaged<CodeBlock>.fromOpaque(blockRaw)
        let functionRef = Unmanaged<JSFunction>.fromOpaque(fRaw)
        let (registerCount, parameterCount, flags) = blockRef._withUnsafeGuaranteedRef {
            ($0.registerCount, $0.parameterCount, $0.flags)
        }
        if baseIndex + max(registerCount, argc + 1) >= registerCapacity || callDepth >= budget.maxCallDepth {
            throw rangeError("Maximum call stack size exceeded")
        }
        let base = registers + baseIndex
        var savedIndex = -1
        if flags.rawValue & FunctionCode.Flags.needsExtraArguments.rawValue != 0 {
            savedIndex = savedArguments.count
            savedArguments.append(argc > 0 ? Array(UnsafeBufferPointer(start: base + 1, count: argc)) : [])
        }
        let firstUnset = min(argc, parameterCount) + 1
        var r = firstUnset
        while r < registerCount {
            base[r] = .undefined
            r &+= 1
        }
        let isArrow = flags.rawValue & FunctionCode.Flags.arrow.rawValue != 0
        if isArrow {
            base[0] = functionRef._withUnsafeGuaranteedRef { $0.capturedThis }
        } else if flags.rawValue & FunctionCode.Flags.strict.rawValue == 0 && !isConstruct {
            let t = base[0]
            if t.isNullish { base[0] = globalObjectValue } else if !t.isObject { base[0] = Value(try toObject(t)) }
        }
        // A call counts as a few instructions, so loop-free recursion spends the budget too.
        budget.instructionsLeft &-= 4
        if budget.instructionsLeft < 0 { throw VMError.terminated(.instructions) }
        callDepth += 1
        let frame = functionRef._withUnsafeGuaranteedRef { f in
            blockRef._withUnsafeGuaranteedRef { block in
                Frame(block: block, function: f, env: f.environment, pc: block.instructions, base: baseIndex,
                      returnRegister: returnRegister, argumentCount: argc, savedArgumentsIndex: savedIndex,
                      newTarget: isArrow ? f.capturedNewTarget : newTarget,
                      isConstruct: isConstruct, isEntry: isEntry)
            }
        }
        frames.append(frame)
        // Never shrink: the caller's registers above the call site must stay marked (a collection
        // during the call must not free what they still point to).
        registerTop = max(registerTop, baseIndex + max(registerCount, argc + 1))
        if heap.collectionRequested { collectGarbage() }
    }

    /// Pops the top frame and applies [[Construct]]'s return rule. Returns the frame, the result,
    /// and an error to raise in the *caller's* context (a derived constructor's bad return value
    /// cannot be caught inside the constructor itself).
    @inline(__always)
    func popFrame(returning value: Value) -> (Frame, Value, VMError?) {
        let frame = frames.removeLast()
        callDepth -= 1
        if frame.savedArgumentsIndex >= 0 { savedArguments.removeLast() }
        var result = value
        if frame.isConstruct && !result.isObject {
            if frame.block.flags.contains(.derivedConstructor) && !result.isUndefined {
                return (frame, result, typeError("Derived constructors may only return object or undefined"))
            }
            result = registers[frame.base]
            // Remember how many properties the constructor gave `this`: the next instance
            // reserves that many slots up front.
            if result.isObject { frame.block.constructedSlotCount = min(result.object.slots.count, 64) }
            if result.isUninitialized {
                return (frame, result, referenceError("Must call super constructor in derived class before accessing 'this' or returning from derived constructor"))
            }
        }
        return (frame, result, nil)
    }

    /// The dispatch loop. Runs from the top frame until the entry frame returns.
    func execute() throws(VMError) -> Value {
        var fi = frames.count - 1
        unowned(unsafe) var block = frames[fi].block
        var pc = block.instructions
        var base = registers + frames[fi].base
        var k = block.constants
        let regs = registers

        // Set when the entry frame itself fails after being popped: thrown past this loop's handlers.
        var escaping: VMError? = nil
        dispatchLoop: while true {
            do throws(VMError) {
                while true {
                    let word = pc.pointee
                    pc += 1
                    // Opcode raw values are the case indices 0…n-1, so the byte is the enum's layout (and the
                    // switch below compiles to a jump table). Bytecode only ever comes from our compiler.
                    let op = unsafeBitCast(UInt8(truncatingIfNeeded: word), to: Opcode.self)
                    let a = Int((word >> 8) & 0xFFFF)
                    switch op {
                    case .nop:
                        break
                    case .loadUndefined:
                        base[a] = .undefined
                    case .loadNull:
                        base[a] = .null
                    case .loadTrue:
                        base[a] = .true
                    case .loadFalse:
                        base[a] = .false
                    case .loadInt:
                        base[a] = Value(Double(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24))))
                    case .loadConst:
                        base[a] = k[Int((word >> 24) & 0xFFFF_FFFF)]
                    case .move:
                        base[a] = base[Int((word >> 24) & 0xFFFF)]
                    case .loadUninitialized:
                        base[a] = .uninitialized
                    case .checkInitialized:
                        if base[a].isUninitialized {
                            frames[fi].pc = pc
                            throw referenceError("Cannot access '\(k[Int((word >> 24) & 0xFFFF_FFFF)].string.swiftString)' before initialization")
                        }
                    case .checkThis:
                        if base[a].isUninitialized {
                            frames[fi].pc = pc
                            throw referenceError("Must call super constructor in derived class before accessing 'this' or returning from derived constructor")
                        }
                    case .loadFunction:
                        base[a] = Value(frames[fi].function)
                    case .loadNewTarget:
                        base[a] = frames[fi].newTarget

                    // MARK: Globals
                    case .getGlobal, .getGlobalOrUndefined:
                        let ci = Int((word >> 24) & 0xFFFF_FFFF)
                        let cacheIndex = pc - 1 - block.instructions
                        let e = block.caches[cacheIndex]
                        let hit = Unmanaged<JSObject>.fromOpaque(globalObjectPointer.unsafelyUnwrapped)._withUnsafeGuaranteedRef { g -> Value? in
                            g.shapeRef.id == e.shapeID && e.holder == nil ? g.slots[Int(e.slot)] : nil
                        }
                        if let hit {
                            base[a] = hit
                        } else {
                            frames[fi].pc = pc
                            base[a] = try getGlobalSlow(block, ci, cacheIndex, throwIfMissing: op == .getGlobal)
                        }
                    case .setGlobal:
                        let ci = Int((word >> 24) & 0xFFFF_FFFF)
                        let cacheIndex = pc - 1 - block.instructions
                        let e = block.caches[cacheIndex]
                        let v = base[a]
                        let stored = Unmanaged<JSObject>.fromOpaque(globalObjectPointer.unsafelyUnwrapped)._withUnsafeGuaranteedRef { g -> Bool in
                            guard g.shapeRef.id == e.shapeID else { return false }
                            g.slots[Int(e.slot)] = v
                            return true
                        }
                        if !stored {
                            frames[fi].pc = pc
                            try setGlobalSlow(block, ci, cacheIndex, base[a])
                        }
                    case .declareGlobalVar:
                        try declareGlobalVar(block.keys[Int((word >> 24) & 0xFFFF_FFFF)])
                    case .declareGlobalFunction:
                        try declareGlobalFunction(block.keys[Int((word >> 24) & 0xFFFF_FFFF)], base[a])

                    // MARK: Environments
                    case .pushEnvironment:
                        let env = try newEnvironment(slotCount: a, parent: frames[fi].env)
                        frames[fi].env = env
                    case .popEnvironment:
                        frames[fi].env = frames[fi].env?.parent
                    case .copyEnvironment:
                        if let old = frames[fi].env {
                            let env = try heap.register(Environment(copying: old),
                                                        bytes: Heap.cellHeaderBytes &+ old.slotCount &* 8)
                            frames[fi].env = env
                        }
                    case .saveEnvironment:
                        if let env = frames[fi].env {
                            base[a] = Value(bits: Value.objectTag | UInt64(UInt(bitPattern: Unmanaged.passUnretained(env).toOpaque())))
                        } else {
                            base[a] = .undefined
                        }
                    case .restoreEnvironment:
                        let v = base[a]
                        frames[fi].env = v.isUndefined ? nil
                            : Unmanaged<Environment>.fromOpaque(v.rawPointer).takeUnretainedValue()
                    case .getEnv:
                        unowned(unsafe) var env = frames[fi].env.unsafelyUnwrapped
                        var depth = Int((word >> 24) & 0xFFFF)
                        while depth > 0 { env = env.parent.unsafelyUnwrapped; depth -= 1 }
                        base[a] = env.slots[Int((word >> 40) & 0xFFFF)]
                    case .getEnvChecked:
                        unowned(unsafe) var env = frames[fi].env.unsafelyUnwrapped
                        var depth = Int((word >> 24) & 0xFFFF)
                        while depth > 0 { env = env.parent.unsafelyUnwrapped; depth -= 1 }
                        let v = env.slots[Int((word >> 40) & 0xFFFF)]
                        let aux = Int(pc.pointee)
                        pc += 1
                        if v.isUninitialized {
                            frames[fi].pc = pc
                            throw referenceError("Cannot access '\(k[aux].string.swiftString)' before initialization")
                        }
                        base[a] = v
                    case .setEnv:
                        unowned(unsafe) var env = frames[fi].env.unsafelyUnwrapped
                        var depth = Int((word >> 24) & 0xFFFF)
                        while depth > 0 { env = env.parent.unsafelyUnwrapped; depth -= 1 }
                        env.slots[Int((word >> 40) & 0xFFFF)] = base[a]
                    case .setEnvChecked:
                        unowned(unsafe) var env = frames[fi].env.unsafelyUnwrapped
                        var depth = Int((word >> 24) & 0xFFFF)
                        while depth > 0 { env = env.parent.unsafelyUnwrapped; depth -= 1 }
                        let slot = Int((word >> 40) & 0xFFFF)
                        let aux = Int(pc.pointee)
                        pc += 1
                        if env.slots[slot].isUninitialized {
                            frames[fi].pc = pc
                            throw referenceError("Cannot access '\(k[aux].string.swiftString)' before initialization")
                        }
                        env.slots[slot] = base[a]

                    // MARK: Functions and classes
                    case .closure:
                        base[a] = Value(try makeClosure(block, Int((word >> 24) & 0xFFFF_FFFF), fi, base))
                    case .createClass:
                        let heritage = Int(Int64(bitPattern: pc.pointee))
                        pc += 1
                        frames[fi].pc = pc
                        try createClass(block, Int((word >> 24) & 0xFFFF_FFFF), fi, base, a, heritage)
                    case .defineMethod:
                        frames[fi].pc = pc
                        try defineMethodOp(base[a], on: base[Int((word >> 24) & 0xFFFF)],
                                           key: base[Int((word >> 40) & 0xFFFF)], flags: Int(word >> 56))
                    case .setHomeObject:
                        if let f = base[a].asFunction, base[Int((word >> 24) & 0xFFFF)].isObject {
                            f.homeObject = base[Int((word >> 24) & 0xFFFF)].object
                        }
                    case .setFunctionName:
                        try setFunctionNameOp(base[a], key: base[Int((word >> 24) & 0xFFFF)], prefix: "")

                    // MARK: Property access
                    case .getField:
                        let obj = base[Int((word >> 24) & 0xFFFF)]
                        let ci = Int((word >> 40) & 0xFFFF)
                        let cacheIndex = pc - 1 - block.instructions
                        if obj.isObject {
                            let e = block.caches[cacheIndex]
                            // Guaranteed references: no retain/release of the object or its slots.
                            let hit = Unmanaged<JSObject>.fromOpaque(obj.rawPointer)._withUnsafeGuaranteedRef { o -> Value? in
                                let id = o.shapeRef.id
                                guard id == e.shapeID else { return id == e.shapeID2 ? o.slots[Int(e.slot2)] : nil }
                                guard let hp = e.holder else { return o.slots[Int(e.slot)] }
                                if unsafeBitCast(o.prototype, to: UnsafeMutableRawPointer?.self) != hp { return nil }
                                return Unmanaged<JSObject>.fromOpaque(hp)._withUnsafeGuaranteedRef { h -> Value? in
                                    guard h.shapeRef.id == e.holderShapeID else { return nil }
                                    if e.slot >= 0 { return h.slots[Int(e.slot)] }
                                    return h.prototype == nil ? .undefined : nil
                                }
                            }
                            if let hit {
                                base[a] = hit
                                continue
                            }
                        } else if obj.isString {
                            // `s.length` and `s.method` on string primitives (text-heavy loops).
                            let e = block.caches[cacheIndex]
                            if e.shapeID == InlineCache.stringReceiver {
                                if e.slot == InlineCache.stringLengthSlot {
                                    base[a] = Value(Double(Unmanaged<JSString>.fromOpaque(obj.rawPointer)._withUnsafeGuaranteedRef { $0.count }))
                                    continue
                                }
                                let hit = Unmanaged<JSObject>.fromOpaque(e.holder.unsafelyUnwrapped)._withUnsafeGuaranteedRef { h -> Value? in
                                    h.shapeRef.id == e.holderShapeID ? h.slots[Int(e.slot)] : nil
                                }
                                if let hit {
                                    base[a] = hit
                                    continue
                                }
                            }
                        }
                        frames[fi].pc = pc
                        base[a] = try getFieldSlow(obj, block, ci, cacheIndex)
                    case .setField:
                        let obj = base[Int((word >> 24) & 0xFFFF)]
                        let ci = Int((word >> 40) & 0xFFFF)
                        let cacheIndex = pc - 1 - block.instructions
                        if obj.isObject {
                            let e = block.caches[cacheIndex]
                            let v = base[a]
                            let epoch = accessorEpoch
                            // 0: miss, 1: stored, 2: added a slot (charge it).
                            let outcome = Unmanaged<JSObject>.fromOpaque(obj.rawPointer)._withUnsafeGuaranteedRef { o -> Int in
                                guard o.shapeRef.id == e.shapeID, !o.flags.contains(.recordedBuiltin) else { return 0 }
                                guard let next = e.addShape else {
                                    o.slots[Int(e.slot)] = v
                                    return 1
                                }
                                guard e.epoch == epoch else { return 0 }
                                // The cached shapes are transition (non-dictionary) shapes, so the
                                // object owns no dictionary shape to release.
                                o.shapeRef = Unmanaged<Shape>.fromOpaque(next).takeUnretainedValue()
                                o.slots.append(v)
                                o.chargedBytes &+= 8
                                return 2
                            }
                            if outcome == 1 { continue }
                            if outcome == 2 {
                                try heap.charge(8)
                                continue
                            }
                        }
                        frames[fi].pc = pc
                        try setFieldSlow(obj, block, ci, cacheIndex, base[a])
                    case .getIndex:
                        let obj = base[Int((word >> 24) & 0xFFFF)]
                        let idx = base[Int((word >> 40) & 0xFFFF)]
                        if obj.isObject && idx.isNumber {
                            let d = idx.number
                            let hit = Unmanaged<JSObject>.fromOpaque(obj.rawPointer)._withUnsafeGuaranteedRef { o -> Value? in
                                guard o.kind == .array && !o.flags.contains(.sparseElements) && d >= 0 && d < 4294967295 else { return nil }
                                let i = Int(truncatingIfNeeded: Int64(d))
                                guard Double(i) == d && i < o.elements.count else { return nil }
                                let v = o.elements[i]
                                return v.isHole ? nil : v
                            }
                            if let hit {
                                base[a] = hit
                                continue
                            }
                        } else if obj.isString && idx.isNumber {
                            let s = obj.string
                            let d = idx.number
                            if d >= 0 && d < 4294967295 {
                                let i = Int(truncatingIfNeeded: Int64(d))
                                if Double(i) == d && i < s.count {
                                    base[a] = try singleCharacterString(s.unitBuffer[i])
                                    continue
                                }
                            }
                        }
                        frames[fi].pc = pc
                        base[a] = try getIndexSlow(obj, idx)
                    case .setIndex:
                        let obj = base[Int((word >> 24) & 0xFFFF)]
                        let idx = base[Int((word >> 40) & 0xFFFF)]
                        if obj.isObject && idx.isNumber {
                            unowned(unsafe) let o = obj.object
                            let d = idx.number
                            if o.kind == .array && !o.flags.contains(.sparseElements) && d >= 0 && d < 4294967295 {
                                let i = Int(truncatingIfNeeded: Int64(d))
                                if Double(i) == d {
                                    let count = o.elements.count
                                    if i < count && !o.elements[i].isHole {
                                        o.elements[i] = base[a]
                                        continue
                                    }
                                    if i == count && o.isExtensible && !o.flags.contains(.lengthReadOnly)
                                        && !prototypeChainHasIndexedProperties(o) {
                                        try heap.charge(8, to: o)
                                        o.elements.append(base[a])
                                        if UInt32(i) >= o.arrayLength { o.arrayLength = UInt32(i) + 1 }
                                        continue
                                    }
                                }
                            }
                        }
                        frames[fi].pc = pc
                        try setIndexSlow(obj, idx, base[a], strict: block.code.flags.contains(.strict))
                    case .deleteField:
                        frames[fi].pc = pc
                        base[a] = Value(try deleteOp(base[Int((word >> 24) & 0xFFFF)],
                                                     block.keys[Int((word >> 40) & 0xFFFF)],
                                                     strict: block.code.flags.contains(.strict)))
                    case .deleteIndex:
                        frames[fi].pc = pc
                        let target = base[Int((word >> 24) & 0xFFFF)]
                        if target.isNullish { throw typeError("Cannot convert undefined or null to object") }
                        let key = try toPropertyKey(base[Int((word >> 40) & 0xFFFF)])
                        base[a] = Value(try deleteOp(target, key, strict: block.code.flags.contains(.strict)))
                    case .getSuper:
                        frames[fi].pc = pc
                        base[a] = try getSuperOp(fi, key: base[Int((word >> 24) & 0xFFFF)],
                                                 this: base[Int((word >> 40) & 0xFFFF)])
                    case .setSuper:
                        frames[fi].pc = pc
                        try setSuperOp(fi, key: base[Int((word >> 24) & 0xFFFF)], value: base[a],
                                       this: base[Int((word >> 40) & 0xFFFF)], strict: block.code.flags.contains(.strict))
                    case .hasProperty:
                        frames[fi].pc = pc
                        base[a] = Value(try hasPropertyOperator(base[Int((word >> 24) & 0xFFFF)], base[Int((word >> 40) & 0xFFFF)]))
                    case .instanceOf:
                        frames[fi].pc = pc
                        base[a] = Value(try instanceOf(base[Int((word >> 24) & 0xFFFF)], base[Int((word >> 40) & 0xFFFF)]))

                    // MARK: Literals
                    case .newObject:
                        let o = try newObject(prototype: hotObjectPrototype.unsafelyUnwrapped)
                        let hint = Int((word >> 24) & 0xFFFF)
                        if hint > 0 { o.slots.reserveCapacity(hint) }
                        base[a] = Value(o)
                    case .newArray:
                        let arr = try newArray()
                        let hint = Int((word >> 24) & 0xFFFF)
                        if hint > 0 { arr.elements.reserveCapacity(hint); try heap.charge(hint * 8, to: arr) }
                        base[a] = Value(arr)
                    case .arrayPush:
                        let arr = base[a].object
                        arr.elements.append(base[Int((word >> 24) & 0xFFFF)])
                        arr.arrayLength = UInt32(arr.elements.count)
                        if arr.elements.count > arr.elements.capacity / 2 { try heap.charge(8, to: arr) }
                    case .arrayPushHole:
                        let arr = base[a].object
                        arr.elements.append(.hole)
                        arr.arrayLength = UInt32(arr.elements.count)
                        try heap.charge(8, to: arr)
                    case .arraySpread:
                        frames[fi].pc = pc
                        try arraySpreadOp(base[a].object, base[Int((word >> 24) & 0xFFFF)])
                    case .defineField:
                        let target = base[Int((word >> 24) & 0xFFFF)]
                        let ci = Int((word >> 40) & 0xFFFF)
                        let cacheIndex = pc - 1 - block.instructions
                        let e = block.caches[cacheIndex]
                        let v = base[a]
                        let added = Unmanaged<JSObject>.fromOpaque(target.rawPointer)._withUnsafeGuaranteedRef { o -> Bool in
                            guard o.shapeRef.id == e.shapeID, let next = e.addShape else { return false }
                            // Literals start from the root shape and add along transitions (no dictionary shapes).
                            o.shapeRef = Unmanaged<Shape>.fromOpaque(next).takeUnretainedValue()
                            o.slots.append(v)
                            o.chargedBytes &+= 8
                            return true
                        }
                        if added {
                            try heap.charge(8)
                        } else {
                            try defineFieldSlow(target.object, block, ci, cacheIndex, v)
                        }
                    case .defineIndex:
                        let o = base[Int((word >> 24) & 0xFFFF)].object
                        let key = try toPropertyKey(base[Int((word >> 40) & 0xFFFF)])
                        try createDataPropertyOrThrow(o, key, base[a])
                    case .copyDataProperties:
                        frames[fi].pc = pc
                        let c = Int((word >> 40) & 0xFFFF)
                        try copyDataPropertiesOp(base[a].object, base[Int((word >> 24) & 0xFFFF)],
                                                 excluded: c == 0xFFFF ? nil : base[c])
                    case .setPrototype:
                        let p = base[Int((word >> 24) & 0xFFFF)]
                        if p.isObject { setPrototype(base[a].object, p.object) } else if p.isNull { setPrototype(base[a].object, nil) }
                    case .regExp:
                        frames[fi].pc = pc
                        let ctor = intrinsics.regExpConstructor.map { Value($0) } ?? .undefined
                        base[a] = try construct(ctor, arguments: [k[Int((word >> 24) & 0xFFFF)], k[Int((word >> 40) & 0xFFFF)]])
                    case .templateObject:
                        let site = pc - 1 - block.instructions
                        if let cached = block.templateObjects[site] {
                            base[a] = cached
                        } else {
                            let made = try templateObjectOp(base[Int((word >> 24) & 0xFFFF)], base[Int((word >> 40) & 0xFFFF)])
                            block.templateObjects[site] = made
                            permanentRoots.append(made)
                            base[a] = made
                        }

                    // MARK: Arithmetic
                    case .add:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = base[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber {
                            base[a] = Value(x.number + y.number)
                        } else if x.isString && y.isString {
                            base[a] = try concatStrings(x, y)
                        } else {
                            frames[fi].pc = pc
                            base[a] = try add(x, y)
                        }
                    case .addConst:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = k[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber {
                            base[a] = Value(x.number + y.number)
                        } else {
                            frames[fi].pc = pc
                            base[a] = try add(x, y)
                        }
                    case .subtractConst:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = k[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber { base[a] = Value(x.number - y.number) } else {
                            frames[fi].pc = pc
                            base[a] = try arithmetic(.subtract, x, y)
                        }
                    case .subtract:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = base[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber { base[a] = Value(x.number - y.number) } else {
                            frames[fi].pc = pc
                            base[a] = try arithmetic(.subtract, x, y)
                        }
                    case .multiply:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = base[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber { base[a] = Value(x.number * y.number) } else {
                            frames[fi].pc = pc
                            base[a] = try arithmetic(.multiply, x, y)
                        }
                    case .divide:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = base[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber { base[a] = Value(x.number / y.number) } else {
                            frames[fi].pc = pc
                            base[a] = try arithmetic(.divide, x, y)
                        }
                    case .remainder:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = base[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber { base[a] = Value(Runtime.jsRemainder(x.number, y.number)) } else {
                            frames[fi].pc = pc
                            base[a] = try arithmetic(.remainder, x, y)
                        }
                    case .exponent, .bitAnd, .bitOr, .bitXor,
                         .shiftLeft, .shiftRight, .unsignedShiftRight:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = base[Int((word >> 40) & 0xFFFF)]
                        let aop = Runtime.arithmeticOperator(op)
                        if x.isNumber && y.isNumber { base[a] = Value(Runtime.apply(aop, x.number, y.number)) } else {
                            frames[fi].pc = pc
                            base[a] = try arithmetic(aop, x, y)
                        }
                    case .equal:
                        frames[fi].pc = pc
                        base[a] = Value(try looseEquals(base[Int((word >> 24) & 0xFFFF)], base[Int((word >> 40) & 0xFFFF)]))
                    case .notEqual:
                        frames[fi].pc = pc
                        base[a] = Value(!(try looseEquals(base[Int((word >> 24) & 0xFFFF)], base[Int((word >> 40) & 0xFFFF)])))
                    case .strictEqual:
                        base[a] = Value(strictEquals(base[Int((word >> 24) & 0xFFFF)], base[Int((word >> 40) & 0xFFFF)]))
                    case .strictNotEqual:
                        base[a] = Value(!strictEquals(base[Int((word >> 24) & 0xFFFF)], base[Int((word >> 40) & 0xFFFF)]))
                    case .less, .lessEqual, .greater, .greaterEqual:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = base[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber {
                            let p = x.number, q = y.number
                            switch op {
                            case .less: base[a] = Value(p < q)
                            case .lessEqual: base[a] = Value(p <= q)
                            case .greater: base[a] = Value(p > q)
                            default: base[a] = Value(p >= q)
                            }
                        } else {
                            frames[fi].pc = pc
                            base[a] = Value(try compareSlow(op, x, y))
                        }
                    case .lessConst:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = k[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber { base[a] = Value(x.number < y.number) } else {
                            frames[fi].pc = pc
                            base[a] = Value(try compareSlow(.less, x, y))
                        }
                    case .not:
                        base[a] = Value(!toBoolean(base[Int((word >> 24) & 0xFFFF)]))
                    case .negate:
                        let x = base[Int((word >> 24) & 0xFFFF)]
                        if x.isNumber { base[a] = Value(-x.number) } else {
                            frames[fi].pc = pc
                            base[a] = Value(-(try toNumber(x)))
                        }
                    case .toNumber:
                        let x = base[Int((word >> 24) & 0xFFFF)]
                        if x.isNumber { base[a] = x } else {
                            frames[fi].pc = pc
                            base[a] = Value(try toNumber(x))
                        }
                    case .bitNot:
                        frames[fi].pc = pc
                        base[a] = Value(Double(~(try toInt32(base[Int((word >> 24) & 0xFFFF)]))))
                    case .typeOf:
                        base[a] = Value(typeofAtom(base[Int((word >> 24) & 0xFFFF)]))
                    case .increment:
                        let x = base[Int((word >> 24) & 0xFFFF)]
                        if x.isNumber { base[a] = Value(x.number + 1) } else {
                            frames[fi].pc = pc
                            base[a] = Value(try toNumber(x) + 1)
                        }
                    case .decrement:
                        let x = base[Int((word >> 24) & 0xFFFF)]
                        if x.isNumber { base[a] = Value(x.number - 1) } else {
                            frames[fi].pc = pc
                            base[a] = Value(try toNumber(x) - 1)
                        }
                    case .toPropertyKey:
                        let x = base[Int((word >> 24) & 0xFFFF)]
                        if x.isString || x.isSymbol { base[a] = x } else {
                            frames[fi].pc = pc
                            base[a] = try keyToValue(try toPropertyKey(x))
                        }
                    case .toString:
                        let x = base[Int((word >> 24) & 0xFFFF)]
                        if x.isString { base[a] = x } else {
                            frames[fi].pc = pc
                            base[a] = Value(try toJSString(x))
                        }

                    // MARK: Control flow
                    case .jump:
                        pc += Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24)))
                    case .loop:
                        let offset = Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24)))
                        pc += offset
                        let cost = offset < 0 ? -offset : 1
                        budget.instructionsLeft &-= cost
                        chargeTicks &+= cost
                        if chargeTicks > 20_000 || budget.instructionsLeft < 0 || heap.collectionRequested {
                            frames[fi].pc = pc
                            try safePoint()
                        }
                    case .jumpIfTrue:
                        if toBoolean(base[a]) { pc += Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24))) }
                    case .jumpIfFalse:
                        if !toBoolean(base[a]) { pc += Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24))) }
                    case .jumpIfNullish:
                        if base[a].isNullish { pc += Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24))) }
                    case .jumpIfNotNullish:
                        if !base[a].isNullish { pc += Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24))) }
                    case .jumpIfUndefined:
                        if base[a].isUndefined { pc += Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24))) }
                    case .jumpIfNotUndefined:
                        if !base[a].isUndefined { pc += Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24))) }
                    case .jumpIfNotLess, .jumpIfNotLessEqual,
                         .jumpIfNotGreater, .jumpIfNotGreaterEqual:
                        let x = base[a], y = base[Int((word >> 24) & 0xFFFF)]
                        let offset = Int(Int64(bitPattern: pc.pointee))
                        pc += 1
                        let holds: Bool
                        if x.isNumber && y.isNumber {
                            let p = x.number, q = y.number
                            switch op {
                            case .jumpIfNotLess: holds = p < q
                            case .jumpIfNotLessEqual: holds = p <= q
                            case .jumpIfNotGreater: holds = p > q
                            default: holds = p >= q
                            }
                        } else {
                            frames[fi].pc = pc
                            let rel: Opcode
                            switch op {
                            case .jumpIfNotLess: rel = .less
                            case .jumpIfNotLessEqual: rel = .lessEqual
                            case .jumpIfNotGreater: rel = .greater
                            default: rel = .greaterEqual
                            }
                            holds = try compareSlow(rel, x, y)
                        }
                        if !holds { pc += offset }
                    case .jumpIfNotStrictEqual:
                        let offset = Int(Int64(bitPattern: pc.pointee))
                        pc += 1
                        if !strictEquals(base[a], base[Int((word >> 24) & 0xFFFF)]) { pc += offset }

                    // MARK: Calls
                    case .call, .callSpread:
                        let calleeValue = base[a]
                        var argc = Int((word >> 40) & 0xFFFF)
                        frames[fi].pc = pc
                        if op == .callSpread {
                            argc = try spreadArgumentsIntoRegisters(base, a)
                        }
                        guard calleeValue.isObject, calleeValue.object.kind == .function else {
                            throw typeError("\(describeForError(calleeValue)) is not a function")
                        }
                        unowned(unsafe) let f = unsafeDowncast(calleeValue.object, to: JSFunction.self)
                        if f.blockPointer != nil && f.flags.rawValue & ObjectFlags.classConstructor.rawValue == 0 {
                            unowned(unsafe) let fb = Unmanaged<CodeBlock>.fromOpaque(f.blockPointer.unsafelyUnwrapped).takeUnretainedValue()
                            let newBase = (base - regs) + a + 1
                            try pushFrame(calleeValue.rawPointer, block: f.blockPointer.unsafelyUnwrapped, baseIndex: newBase,
                                          argumentCount: argc, newTarget: .undefined,
                                          isConstruct: false, returnRegister: (base - regs) + a, isEntry: false)
                            fi += 1
                            block = fb
                            pc = fb.instructions
                            base = regs + newBase
                            k = fb.constants
                        } else {
                            let r = try callFunction(f, this: base[a + 1], arguments: Arguments(base: base + a + 2, count: argc))
                            base[a] = r
                        }
                    case .construct, .constructSpread:
                        let calleeValue = base[a]
                        var argc = Int((word >> 40) & 0xFFFF)
                        frames[fi].pc = pc
                        if op == .constructSpread {
                            argc = try spreadArgumentsIntoRegisters(base, a)
                        }
                        guard calleeValue.isObject, calleeValue.object.kind == .function,
                              calleeValue.object.flags.contains(.constructor) else {
                            throw typeError("\(describeForError(calleeValue)) is not a constructor")
                        }
                        unowned(unsafe) let f = unsafeDowncast(calleeValue.object, to: JSFunction.self)
                        if f.blockPointer != nil {
                            unowned(unsafe) let fb = Unmanaged<CodeBlock>.fromOpaque(f.blockPointer.unsafelyUnwrapped).takeUnretainedValue()
                            let newBase = (base - regs) + a + 1
                            if fb.flags.rawValue & FunctionCode.Flags.derivedConstructor.rawValue != 0 {
                                base[a + 1] = .uninitialized
                            } else {
                                // `f.prototype` through this instruction's cache (an own data slot of f).
                                let cacheIndex = pc - 1 - block.instructions
                                let e = block.caches[cacheIndex]
                                let cached = Unmanaged<JSObject>.fromOpaque(calleeValue.rawPointer)._withUnsafeGuaranteedRef { c -> Value? in
                                    c.shapeRef.id == e.shapeID ? c.slots[Int(e.slot)] : nil
                                }
                                let protoValue: Value
                                if let cached { protoValue = cached } else {
                                    protoValue = try constructorPrototypeSlow(f, block, cacheIndex)
                                }
                                let o = try newObject(prototype: protoValue.isObject ? protoValue.object
                                                                                     : hotObjectPrototype.unsafelyUnwrapped)
                                if fb.constructedSlotCount > 0 { o.slots.reserveCapacity(fb.constructedSlotCount) }
                                base[a + 1] = Value(o)
                            }
                            try pushFrame(f, block: fb, baseIndex: newBase, argumentCount: argc, newTarget: calleeValue,
                                          isConstruct: true, returnRegister: (base - regs) + a, isEntry: false)
                            fi += 1
                            block = fb
                            pc = fb.instructions
                            base = regs + newBase
                            k = fb.constants
                        } else {
                            base[a] = try constructFunction(f, arguments: Arguments(base: base + a + 2, count: argc,
                                                                                    newTarget: calleeValue))
                        }
                    case .superCall, .superCallSpread:
                        var argc = Int((word >> 40) & 0xFFFF)
                        frames[fi].pc = pc
                        if op == .superCallSpread {
                            argc = try spreadArgumentsIntoRegisters(base, a)
                        }
                        base[a] = try superCallOp(fi, base, a, argc)
                    case .return, .returnUndefined:
                        let value = op == .return ? base[a] : Value.undefined
                        let (frame, result, failure) = popFrame(returning: value)
                        if frame.isEntry {
                            if let failure {
                                escaping = failure
                                break dispatchLoop
                            }
                            return result
                        }
                        fi -= 1
                        block = frames[fi].block
                        pc = frames[fi].pc
                        base = regs + frames[fi].base
                        k = block.constants
                        if let failure { throw failure }
                        regs[frame.returnRegister] = result
                        registerTop = frames[fi].base + max(block.registerCount, frames[fi].argumentCount + 1)

                    // MARK: Exceptions
                    case .throw:
                        frames[fi].pc = pc
                        throw VMError.exception(base[a])
                    case .throwError:
                        frames[fi].pc = pc
                        let kinds = ErrorKind.allCases
                        let kindIndex = Int(word >> 56)
                        let kind = kindIndex < kinds.count ? kinds[kindIndex] : .error
                        throw error(kind, k[Int((word >> 24) & 0xFFFF_FFFF)].string.swiftString)
                    case .throwConstAssignment:
                        frames[fi].pc = pc
                        throw typeError("Assignment to constant variable '\(k[Int((word >> 24) & 0xFFFF_FFFF)].string.swiftString)'.")

                    // MARK: Iteration
                    case .getIterator:
                        frames[fi].pc = pc
                        let v = base[Int((word >> 24) & 0xFFFF)]
                        if hasDefaultArrayIteration(v) {
                            base[a] = v
                            base[a + 1] = Value(0.0)
                        } else {
                            let record = try getIterator(v)
                            base[a] = record.iterator
                            base[a + 1] = record.nextMethod
                        }
                    case .iteratorNext:
                        let b = Int((word >> 24) & 0xFFFF)
                        let offset = Int(Int64(bitPattern: pc.pointee))
                        pc += 1
                        let state = base[b + 1]
                        if state.isNumber {
                            unowned(unsafe) let o = base[b].object
                            let i = Int(state.number)
                            if i < Int(o.arrayLength) {
                                if i < o.elements.count && !o.elements[i].isHole && !o.flags.contains(.sparseElements) {
                                    base[a] = o.elements[i]
                                } else {
                                    frames[fi].pc = pc
                                    base[a] = try get(o, PropertyKey(index: UInt32(i)))
                                }
                                base[b + 1] = Value(Double(i + 1))
                            } else {
                                base[b + 1] = Value(Double(Int(UInt32.max)))
                                pc += offset
                            }
                        } else {
                            frames[fi].pc = pc
                            if let v = try iteratorNextSlow(base[b], state) { base[a] = v } else { pc += offset }
                        }
                    case .iteratorClose:
                        if !base[a + 1].isNumber {
                            frames[fi].pc = pc
                            let record = IteratorRecord(iterator: base[a], nextMethod: base[a + 1])
                            try iteratorClose(record, suppressErrors: Int((word >> 24) & 0xFFFF) == 1)
                        }
                    case .forInPrepare:
                        frames[fi].pc = pc
                        base[a] = try forInPrepare(base[Int((word >> 24) & 0xFFFF)])
                    case .forInNext:
                        let offset = Int(Int64(bitPattern: pc.pointee))
                        pc += 1
                        if let key = forInNext(base[Int((word >> 24) & 0xFFFF)]) { base[a] = key } else { pc += offset }

                    // MARK: Arguments
                    case .createArguments:
                        base[a] = Value(try createArgumentsObject(fi))
                    case .createRest:
                        let from = Int((word >> 24) & 0xFFFF)
                        let si = frames[fi].savedArgumentsIndex
                        let all = si >= 0 ? savedArguments[si] : []
                        base[a] = Value(try newArray(from < all.count ? ContiguousArray(all[from...]) : []))
                    case .debugger:
                        break
                    }
                }
            } catch {
                // Find a handler in this execute's frames, innermost first.
                guard case .exception(let thrown) = error else {
                    unwindEntry(fi)
                    throw error
                }
                noteThrowLocation(thrown, fi, pc)
                while true {
                    let pcIndex = pc - block.instructions - 1
                    if let h = block.code.handlers.first(where: { $0.start <= pcIndex && pcIndex < $0.end }) {
                        base[h.register] = thrown
                        pc = block.instructions + h.handler
                        registerTop = frames[fi].base + max(block.registerCount, frames[fi].argumentCount + 1)
                        break
                    }
                    let frame = frames.removeLast()
                    callDepth -= 1
                    if frame.savedArgumentsIndex >= 0 { savedArguments.removeLast() }
                    if frame.isEntry { throw error }
                    fi -= 1
                    block = frames[fi].block
                    pc = frames[fi].pc
                    base = regs + frames[fi].base
                    k = block.constants
                }
            }
        }
        throw escaping ?? typeError("internal error: dispatch loop left without a result")
    }

    /// Pops every frame of the current `execute` (after a termination).
    private func unwindEntry(_ fi: Int) {
        var i = fi
        while i >= 0 {
            let frame = frames.removeLast()
            callDepth -= 1
            if frame.savedArgumentsIndex >= 0 { savedArguments.removeLast() }
            if frame.isEntry { return }
            i -= 1
        }
    }
}
