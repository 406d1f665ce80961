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

    /// Runs a script function with `this` and `arguments`.
    func callScriptFunction(_ f: JSFunction, this: Value, arguments: Arguments) throws(VMError) -> Value {
        try callScript(f, block: f.block!, this: this, arguments: arguments, newTarget: .undefined, isConstruct: false)
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
        let savedTop = registerTop
        let baseIndex = savedTop
        let argc = arguments.count
        if baseIndex + 1 + argc + block.code.registerCount >= registerCapacity {
            throw rangeError("Maximum call stack size exceeded")
        }
        registers[baseIndex] = this
        if argc > 0, let src = arguments.base {
            (registers + baseIndex + 1).update(from: src, count: argc)
        }
        defer { registerTop = savedTop }
        try pushFrame(f, block: block, baseIndex: baseIndex, argumentCount: argc, newTarget: newTarget,
                      isConstruct: isConstruct, returnRegister: -1, isEntry: true)
        return try execute()
    }

    /// Sets up a frame whose `this` and arguments are already at `baseIndex`.
    @inline(__always)
    func pushFrame(_ f: JSFunction, block: CodeBlock, baseIndex: Int, argumentCount argc: Int, newTarget: Value,
                   isConstruct: Bool, returnRegister: Int, isEntry: Bool) throws(VMError) {
        let code = block.code
        let registerCount = code.registerCount
        if baseIndex + max(registerCount, argc + 1) >= registerCapacity || callDepth >= budget.maxCallDepth {
            throw rangeError("Maximum call stack size exceeded")
        }
        let base = registers + baseIndex
        var extra: [Value] = []
        if code.flags.contains(.needsExtraArguments) && argc > 0 {
            extra = Array(UnsafeBufferPointer(start: base + 1, count: argc))
        }
        let firstUnset = min(argc, code.parameterCount) + 1
        if firstUnset < registerCount {
            (base + firstUnset).update(repeating: .undefined, count: registerCount - firstUnset)
        }
        let flags = code.flags
        if flags.contains(.arrow) {
            base[0] = f.capturedThis
        } else if !flags.contains(.strict) && !isConstruct {
            let t = base[0]
            if t.isNullish { base[0] = Value(globalObject) } else if !t.isObject { base[0] = Value(try toObject(t)) }
        }
        callDepth += 1
        frames.append(Frame(block: block, function: f, env: f.environment, pc: block.instructions, base: baseIndex,
                            returnRegister: returnRegister, argumentCount: argc, extraArguments: extra,
                            newTarget: flags.contains(.arrow) ? f.capturedNewTarget : newTarget,
                            isConstruct: isConstruct, isEntry: isEntry))
        // Never shrink: the caller's registers above the call site must stay marked (a collection
        // during the call must not free what they still point to).
        registerTop = max(registerTop, baseIndex + max(registerCount, argc + 1))
        if heap.collectionRequested { collectGarbage() }
    }

    /// Pops the top frame and applies [[Construct]]'s return rule. Returns the frame and the result.
    @inline(__always)
    func popFrame(returning value: Value) throws(VMError) -> (Frame, Value) {
        let frame = frames.removeLast()
        callDepth -= 1
        var result = value
        if frame.isConstruct && !result.isObject {
            if frame.block.code.flags.contains(.derivedConstructor) && !result.isUndefined {
                throw typeError("Derived constructors may only return object or undefined")
            }
            result = registers[frame.base]
            if result.isUninitialized {
                throw referenceError("Must call super constructor in derived class before accessing 'this' or returning from derived constructor")
            }
        }
        return (frame, result)
    }

    /// The dispatch loop. Runs from the top frame until the entry frame returns.
    func execute() throws(VMError) -> Value {
        var fi = frames.count - 1
        var block = frames[fi].block
        var pc = block.instructions
        var base = registers + frames[fi].base
        var k = block.constants
        let regs = registers

        while true {
            do throws(VMError) {
                while true {
                    let word = pc.pointee
                    pc += 1
                    let op = UInt8(truncatingIfNeeded: word)
                    let a = Int((word >> 8) & 0xFFFF)
                    switch op {
                    case Opcode.nop.rawValue:
                        break
                    case Opcode.loadUndefined.rawValue:
                        base[a] = .undefined
                    case Opcode.loadNull.rawValue:
                        base[a] = .null
                    case Opcode.loadTrue.rawValue:
                        base[a] = .true
                    case Opcode.loadFalse.rawValue:
                        base[a] = .false
                    case Opcode.loadInt.rawValue:
                        base[a] = Value(Double(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24))))
                    case Opcode.loadConst.rawValue:
                        base[a] = k[Int((word >> 24) & 0xFFFF_FFFF)]
                    case Opcode.move.rawValue:
                        base[a] = base[Int((word >> 24) & 0xFFFF)]
                    case Opcode.loadUninitialized.rawValue:
                        base[a] = .uninitialized
                    case Opcode.checkInitialized.rawValue:
                        if base[a].isUninitialized {
                            frames[fi].pc = pc
                            throw referenceError("Cannot access '\(k[Int((word >> 24) & 0xFFFF_FFFF)].string.swiftString)' before initialization")
                        }
                    case Opcode.checkThis.rawValue:
                        if base[a].isUninitialized {
                            frames[fi].pc = pc
                            throw referenceError("Must call super constructor in derived class before accessing 'this' or returning from derived constructor")
                        }
                    case Opcode.loadFunction.rawValue:
                        base[a] = Value(frames[fi].function)
                    case Opcode.loadNewTarget.rawValue:
                        base[a] = frames[fi].newTarget

                    // MARK: Globals
                    case Opcode.getGlobal.rawValue, Opcode.getGlobalOrUndefined.rawValue:
                        let ci = Int((word >> 24) & 0xFFFF_FFFF)
                        let cacheIndex = pc - 1 - block.instructions
                        let g = globalObject!
                        let e = block.caches[cacheIndex]
                        if g.shape.id == e.shapeID && e.holder == nil {
                            base[a] = g.slots[Int(e.slot)]
                        } else {
                            frames[fi].pc = pc
                            base[a] = try getGlobalSlow(block, ci, cacheIndex, throwIfMissing: op == Opcode.getGlobal.rawValue)
                        }
                    case Opcode.setGlobal.rawValue:
                        let ci = Int((word >> 24) & 0xFFFF_FFFF)
                        let cacheIndex = pc - 1 - block.instructions
                        let g = globalObject!
                        let e = block.caches[cacheIndex]
                        if g.shape.id == e.shapeID {
                            g.slots[Int(e.slot)] = base[a]
                        } else {
                            frames[fi].pc = pc
                            try setGlobalSlow(block, ci, cacheIndex, base[a])
                        }
                    case Opcode.declareGlobalVar.rawValue:
                        try declareGlobalVar(block.keys[Int((word >> 24) & 0xFFFF_FFFF)])
                    case Opcode.declareGlobalFunction.rawValue:
                        try declareGlobalFunction(block.keys[Int((word >> 24) & 0xFFFF_FFFF)], base[a])

                    // MARK: Environments
                    case Opcode.pushEnvironment.rawValue:
                        let env = try newEnvironment(slotCount: a, parent: frames[fi].env)
                        frames[fi].env = env
                    case Opcode.popEnvironment.rawValue:
                        frames[fi].env = frames[fi].env?.parent
                    case Opcode.copyEnvironment.rawValue:
                        if let old = frames[fi].env {
                            let env = try newEnvironment(slotCount: 0, parent: old.parent)
                            env.slots = old.slots
                            try heap.charge(old.slots.count * 8, to: env)
                            frames[fi].env = env
                        }
                    case Opcode.saveEnvironment.rawValue:
                        if let env = frames[fi].env {
                            base[a] = Value(bits: Value.objectTag | UInt64(UInt(bitPattern: Unmanaged.passUnretained(env).toOpaque())))
                        } else {
                            base[a] = .undefined
                        }
                    case Opcode.restoreEnvironment.rawValue:
                        let v = base[a]
                        frames[fi].env = v.isUndefined ? nil
                            : Unmanaged<Environment>.fromOpaque(v.rawPointer).takeUnretainedValue()
                    case Opcode.getEnv.rawValue:
                        var env = frames[fi].env.unsafelyUnwrapped
                        var depth = Int((word >> 24) & 0xFFFF)
                        while depth > 0 { env = env.parent.unsafelyUnwrapped; depth -= 1 }
                        base[a] = env.slots[Int((word >> 40) & 0xFFFF)]
                    case Opcode.getEnvChecked.rawValue:
                        var env = frames[fi].env.unsafelyUnwrapped
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
                    case Opcode.setEnv.rawValue:
                        var env = frames[fi].env.unsafelyUnwrapped
                        var depth = Int((word >> 24) & 0xFFFF)
                        while depth > 0 { env = env.parent.unsafelyUnwrapped; depth -= 1 }
                        env.slots[Int((word >> 40) & 0xFFFF)] = base[a]
                    case Opcode.setEnvChecked.rawValue:
                        var env = frames[fi].env.unsafelyUnwrapped
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
                    case Opcode.closure.rawValue:
                        base[a] = Value(try makeClosure(block, Int((word >> 24) & 0xFFFF_FFFF), fi, base))
                    case Opcode.createClass.rawValue:
                        let heritage = Int(Int64(bitPattern: pc.pointee))
                        pc += 1
                        frames[fi].pc = pc
                        try createClass(block, Int((word >> 24) & 0xFFFF_FFFF), fi, base, a, heritage)
                    case Opcode.defineMethod.rawValue:
                        frames[fi].pc = pc
                        try defineMethodOp(base[a], on: base[Int((word >> 24) & 0xFFFF)],
                                           key: base[Int((word >> 40) & 0xFFFF)], flags: Int(word >> 56))
                    case Opcode.setHomeObject.rawValue:
                        if let f = base[a].asFunction, base[Int((word >> 24) & 0xFFFF)].isObject {
                            f.homeObject = base[Int((word >> 24) & 0xFFFF)].object
                        }
                    case Opcode.setFunctionName.rawValue:
                        try setFunctionNameOp(base[a], key: base[Int((word >> 24) & 0xFFFF)], prefix: "")

                    // MARK: Property access
                    case Opcode.getField.rawValue:
                        let obj = base[Int((word >> 24) & 0xFFFF)]
                        let ci = Int((word >> 40) & 0xFFFF)
                        let cacheIndex = pc - 1 - block.instructions
                        if obj.isObject {
                            let o = obj.object
                            let e = block.caches[cacheIndex]
                            if o.shape.id == e.shapeID {
                                if let h = e.holder {
                                    if o.prototype === h && h.shape.id == e.holderShapeID {
                                        base[a] = h.slots[Int(e.slot)]
                                        continue
                                    }
                                } else {
                                    base[a] = o.slots[Int(e.slot)]
                                    continue
                                }
                            }
                        }
                        frames[fi].pc = pc
                        base[a] = try getFieldSlow(obj, block, ci, cacheIndex)
                    case Opcode.setField.rawValue:
                        let obj = base[Int((word >> 24) & 0xFFFF)]
                        let ci = Int((word >> 40) & 0xFFFF)
                        let cacheIndex = pc - 1 - block.instructions
                        if obj.isObject {
                            let o = obj.object
                            let e = block.caches[cacheIndex]
                            if o.shape.id == e.shapeID {
                                if let next = e.addShape {
                                    if e.epoch == accessorEpoch {
                                        o.shape = next
                                        o.slots.append(base[a])
                                        try heap.charge(8, to: o)
                                        continue
                                    }
                                } else {
                                    o.slots[Int(e.slot)] = base[a]
                                    continue
                                }
                            }
                        }
                        frames[fi].pc = pc
                        try setFieldSlow(obj, block, ci, cacheIndex, base[a])
                    case Opcode.getIndex.rawValue:
                        let obj = base[Int((word >> 24) & 0xFFFF)]
                        let idx = base[Int((word >> 40) & 0xFFFF)]
                        if obj.isObject && idx.isNumber {
                            let o = obj.object
                            let d = idx.number
                            if o.kind == .array && !o.flags.contains(.sparseElements) && d >= 0 {
                                let i = Int(truncatingIfNeeded: Int64(d))
                                if Double(i) == d && i < o.elements.count {
                                    let v = o.elements[i]
                                    if !v.isHole {
                                        base[a] = v
                                        continue
                                    }
                                }
                            }
                        } else if obj.isString && idx.isNumber {
                            let s = obj.string
                            let d = idx.number
                            if d >= 0 {
                                let i = Int(truncatingIfNeeded: Int64(d))
                                if Double(i) == d && i < s.count {
                                    base[a] = try singleCharacterString(s.units[i])
                                    continue
                                }
                            }
                        }
                        frames[fi].pc = pc
                        base[a] = try getIndexSlow(obj, idx)
                    case Opcode.setIndex.rawValue:
                        let obj = base[Int((word >> 24) & 0xFFFF)]
                        let idx = base[Int((word >> 40) & 0xFFFF)]
                        if obj.isObject && idx.isNumber {
                            let o = obj.object
                            let d = idx.number
                            if o.kind == .array && !o.flags.contains(.sparseElements) && d >= 0 {
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
                    case Opcode.deleteField.rawValue:
                        frames[fi].pc = pc
                        base[a] = Value(try deleteOp(base[Int((word >> 24) & 0xFFFF)],
                                                     block.keys[Int((word >> 40) & 0xFFFF)],
                                                     strict: block.code.flags.contains(.strict)))
                    case Opcode.deleteIndex.rawValue:
                        frames[fi].pc = pc
                        let target = base[Int((word >> 24) & 0xFFFF)]
                        if target.isNullish { throw typeError("Cannot convert undefined or null to object") }
                        let key = try toPropertyKey(base[Int((word >> 40) & 0xFFFF)])
                        base[a] = Value(try deleteOp(target, key, strict: block.code.flags.contains(.strict)))
                    case Opcode.getSuper.rawValue:
                        frames[fi].pc = pc
                        base[a] = try getSuperOp(fi, key: base[Int((word >> 24) & 0xFFFF)],
                                                 this: base[Int((word >> 40) & 0xFFFF)])
                    case Opcode.setSuper.rawValue:
                        frames[fi].pc = pc
                        try setSuperOp(fi, key: base[Int((word >> 24) & 0xFFFF)], value: base[a],
                                       this: base[Int((word >> 40) & 0xFFFF)], strict: block.code.flags.contains(.strict))
                    case Opcode.hasProperty.rawValue:
                        frames[fi].pc = pc
                        base[a] = Value(try hasPropertyOperator(base[Int((word >> 24) & 0xFFFF)], base[Int((word >> 40) & 0xFFFF)]))
                    case Opcode.instanceOf.rawValue:
                        frames[fi].pc = pc
                        base[a] = Value(try instanceOf(base[Int((word >> 24) & 0xFFFF)], base[Int((word >> 40) & 0xFFFF)]))

                    // MARK: Literals
                    case Opcode.newObject.rawValue:
                        base[a] = Value(try newObject(prototype: intrinsics.objectPrototype))
                    case Opcode.newArray.rawValue:
                        let arr = try newArray()
                        let hint = Int((word >> 24) & 0xFFFF)
                        if hint > 0 { arr.elements.reserveCapacity(hint); try heap.charge(hint * 8, to: arr) }
                        base[a] = Value(arr)
                    case Opcode.arrayPush.rawValue:
                        let arr = base[a].object
                        arr.elements.append(base[Int((word >> 24) & 0xFFFF)])
                        arr.arrayLength = UInt32(arr.elements.count)
                        if arr.elements.count > arr.elements.capacity / 2 { try heap.charge(8, to: arr) }
                    case Opcode.arrayPushHole.rawValue:
                        let arr = base[a].object
                        arr.elements.append(.hole)
                        arr.arrayLength = UInt32(arr.elements.count)
                        try heap.charge(8, to: arr)
                    case Opcode.arraySpread.rawValue:
                        frames[fi].pc = pc
                        try arraySpreadOp(base[a].object, base[Int((word >> 24) & 0xFFFF)])
                    case Opcode.defineField.rawValue:
                        let o = base[Int((word >> 24) & 0xFFFF)].object
                        let ci = Int((word >> 40) & 0xFFFF)
                        let cacheIndex = pc - 1 - block.instructions
                        let e = block.caches[cacheIndex]
                        if o.shape.id == e.shapeID, let next = e.addShape {
                            o.shape = next
                            o.slots.append(base[a])
                            try heap.charge(8, to: o)
                        } else {
                            try defineFieldSlow(o, block, ci, cacheIndex, base[a])
                        }
                    case Opcode.defineIndex.rawValue:
                        let o = base[Int((word >> 24) & 0xFFFF)].object
                        let key = try toPropertyKey(base[Int((word >> 40) & 0xFFFF)])
                        try createDataPropertyOrThrow(o, key, base[a])
                    case Opcode.copyDataProperties.rawValue:
                        frames[fi].pc = pc
                        let c = Int((word >> 40) & 0xFFFF)
                        try copyDataPropertiesOp(base[a].object, base[Int((word >> 24) & 0xFFFF)],
                                                 excluded: c == 0xFFFF ? nil : base[c])
                    case Opcode.setPrototype.rawValue:
                        let p = base[Int((word >> 24) & 0xFFFF)]
                        if p.isObject { setPrototype(base[a].object, p.object) } else if p.isNull { setPrototype(base[a].object, nil) }
                    case Opcode.regExp.rawValue:
                        frames[fi].pc = pc
                        let ctor = intrinsics.regExpConstructor.map { Value($0) } ?? .undefined
                        base[a] = try construct(ctor, arguments: [k[Int((word >> 24) & 0xFFFF)], k[Int((word >> 40) & 0xFFFF)]])
                    case Opcode.templateObject.rawValue:
                        base[a] = try templateObjectOp(base[Int((word >> 24) & 0xFFFF)], base[Int((word >> 40) & 0xFFFF)])

                    // MARK: Arithmetic
                    case Opcode.add.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = base[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber {
                            base[a] = Value(x.number + y.number)
                        } else if x.isString && y.isString {
                            base[a] = Value(try concat(x.string, y.string))
                        } else {
                            frames[fi].pc = pc
                            base[a] = try add(x, y)
                        }
                    case Opcode.addConst.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = k[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber {
                            base[a] = Value(x.number + y.number)
                        } else {
                            frames[fi].pc = pc
                            base[a] = try add(x, y)
                        }
                    case Opcode.subtract.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = base[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber { base[a] = Value(x.number - y.number) } else {
                            frames[fi].pc = pc
                            base[a] = try arithmetic(.subtract, x, y)
                        }
                    case Opcode.multiply.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = base[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber { base[a] = Value(x.number * y.number) } else {
                            frames[fi].pc = pc
                            base[a] = try arithmetic(.multiply, x, y)
                        }
                    case Opcode.divide.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = base[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber { base[a] = Value(x.number / y.number) } else {
                            frames[fi].pc = pc
                            base[a] = try arithmetic(.divide, x, y)
                        }
                    case Opcode.remainder.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = base[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber { base[a] = Value(Runtime.jsRemainder(x.number, y.number)) } else {
                            frames[fi].pc = pc
                            base[a] = try arithmetic(.remainder, x, y)
                        }
                    case Opcode.exponent.rawValue, Opcode.bitAnd.rawValue, Opcode.bitOr.rawValue, Opcode.bitXor.rawValue,
                         Opcode.shiftLeft.rawValue, Opcode.shiftRight.rawValue, Opcode.unsignedShiftRight.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = base[Int((word >> 40) & 0xFFFF)]
                        let aop = Runtime.arithmeticOperator(op)
                        if x.isNumber && y.isNumber { base[a] = Value(Runtime.apply(aop, x.number, y.number)) } else {
                            frames[fi].pc = pc
                            base[a] = try arithmetic(aop, x, y)
                        }
                    case Opcode.equal.rawValue:
                        frames[fi].pc = pc
                        base[a] = Value(try looseEquals(base[Int((word >> 24) & 0xFFFF)], base[Int((word >> 40) & 0xFFFF)]))
                    case Opcode.notEqual.rawValue:
                        frames[fi].pc = pc
                        base[a] = Value(!(try looseEquals(base[Int((word >> 24) & 0xFFFF)], base[Int((word >> 40) & 0xFFFF)])))
                    case Opcode.strictEqual.rawValue:
                        base[a] = Value(strictEquals(base[Int((word >> 24) & 0xFFFF)], base[Int((word >> 40) & 0xFFFF)]))
                    case Opcode.strictNotEqual.rawValue:
                        base[a] = Value(!strictEquals(base[Int((word >> 24) & 0xFFFF)], base[Int((word >> 40) & 0xFFFF)]))
                    case Opcode.less.rawValue, Opcode.lessEqual.rawValue, Opcode.greater.rawValue, Opcode.greaterEqual.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = base[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber {
                            let p = x.number, q = y.number
                            switch op {
                            case Opcode.less.rawValue: base[a] = Value(p < q)
                            case Opcode.lessEqual.rawValue: base[a] = Value(p <= q)
                            case Opcode.greater.rawValue: base[a] = Value(p > q)
                            default: base[a] = Value(p >= q)
                            }
                        } else {
                            frames[fi].pc = pc
                            base[a] = Value(try compareSlow(op, x, y))
                        }
                    case Opcode.lessConst.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)], y = k[Int((word >> 40) & 0xFFFF)]
                        if x.isNumber && y.isNumber { base[a] = Value(x.number < y.number) } else {
                            frames[fi].pc = pc
                            base[a] = Value(try compareSlow(Opcode.less.rawValue, x, y))
                        }
                    case Opcode.not.rawValue:
                        base[a] = Value(!toBoolean(base[Int((word >> 24) & 0xFFFF)]))
                    case Opcode.negate.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)]
                        if x.isNumber { base[a] = Value(-x.number) } else {
                            frames[fi].pc = pc
                            base[a] = Value(-(try toNumber(x)))
                        }
                    case Opcode.toNumber.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)]
                        if x.isNumber { base[a] = x } else {
                            frames[fi].pc = pc
                            base[a] = Value(try toNumber(x))
                        }
                    case Opcode.bitNot.rawValue:
                        frames[fi].pc = pc
                        base[a] = Value(Double(~(try toInt32(base[Int((word >> 24) & 0xFFFF)]))))
                    case Opcode.typeOf.rawValue:
                        base[a] = Value(typeofAtom(base[Int((word >> 24) & 0xFFFF)]))
                    case Opcode.increment.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)]
                        if x.isNumber { base[a] = Value(x.number + 1) } else {
                            frames[fi].pc = pc
                            base[a] = Value(try toNumber(x) + 1)
                        }
                    case Opcode.decrement.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)]
                        if x.isNumber { base[a] = Value(x.number - 1) } else {
                            frames[fi].pc = pc
                            base[a] = Value(try toNumber(x) - 1)
                        }
                    case Opcode.toPropertyKey.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)]
                        if x.isString || x.isSymbol { base[a] = x } else {
                            frames[fi].pc = pc
                            base[a] = try keyToValue(try toPropertyKey(x))
                        }
                    case Opcode.toString.rawValue:
                        let x = base[Int((word >> 24) & 0xFFFF)]
                        if x.isString { base[a] = x } else {
                            frames[fi].pc = pc
                            base[a] = Value(try toJSString(x))
                        }

                    // MARK: Control flow
                    case Opcode.jump.rawValue:
                        pc += Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24)))
                    case Opcode.loop.rawValue:
                        let offset = Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24)))
                        pc += offset
                        let cost = offset < 0 ? -offset : 1
                        budget.instructionsLeft &-= cost
                        chargeTicks &+= cost
                        if chargeTicks > 20_000 || budget.instructionsLeft < 0 || heap.collectionRequested {
                            frames[fi].pc = pc
                            try safePoint()
                        }
                    case Opcode.jumpIfTrue.rawValue:
                        if toBoolean(base[a]) { pc += Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24))) }
                    case Opcode.jumpIfFalse.rawValue:
                        if !toBoolean(base[a]) { pc += Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24))) }
                    case Opcode.jumpIfNullish.rawValue:
                        if base[a].isNullish { pc += Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24))) }
                    case Opcode.jumpIfNotNullish.rawValue:
                        if !base[a].isNullish { pc += Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24))) }
                    case Opcode.jumpIfUndefined.rawValue:
                        if base[a].isUndefined { pc += Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24))) }
                    case Opcode.jumpIfNotUndefined.rawValue:
                        if !base[a].isUndefined { pc += Int(Int32(bitPattern: UInt32(truncatingIfNeeded: word >> 24))) }
                    case Opcode.jumpIfNotLess.rawValue, Opcode.jumpIfNotLessEqual.rawValue,
                         Opcode.jumpIfNotGreater.rawValue, Opcode.jumpIfNotGreaterEqual.rawValue:
                        let x = base[a], y = base[Int((word >> 24) & 0xFFFF)]
                        let offset = Int(Int64(bitPattern: pc.pointee))
                        pc += 1
                        let holds: Bool
                        if x.isNumber && y.isNumber {
                            let p = x.number, q = y.number
                            switch op {
                            case Opcode.jumpIfNotLess.rawValue: holds = p < q
                            case Opcode.jumpIfNotLessEqual.rawValue: holds = p <= q
                            case Opcode.jumpIfNotGreater.rawValue: holds = p > q
                            default: holds = p >= q
                            }
                        } else {
                            frames[fi].pc = pc
                            let rel: UInt8
                            switch op {
                            case Opcode.jumpIfNotLess.rawValue: rel = Opcode.less.rawValue
                            case Opcode.jumpIfNotLessEqual.rawValue: rel = Opcode.lessEqual.rawValue
                            case Opcode.jumpIfNotGreater.rawValue: rel = Opcode.greater.rawValue
                            default: rel = Opcode.greaterEqual.rawValue
                            }
                            holds = try compareSlow(rel, x, y)
                        }
                        if !holds { pc += offset }
                    case Opcode.jumpIfNotStrictEqual.rawValue:
                        let offset = Int(Int64(bitPattern: pc.pointee))
                        pc += 1
                        if !strictEquals(base[a], base[Int((word >> 24) & 0xFFFF)]) { pc += offset }

                    // MARK: Calls
                    case Opcode.call.rawValue, Opcode.callSpread.rawValue:
                        let calleeValue = base[a]
                        var argc = Int((word >> 40) & 0xFFFF)
                        frames[fi].pc = pc
                        if op == Opcode.callSpread.rawValue {
                            argc = try spreadArgumentsIntoRegisters(base, a)
                        }
                        guard calleeValue.isObject, calleeValue.object.kind == .function else {
                            throw typeError("\(describeForError(calleeValue)) is not a function")
                        }
                        let f = unsafeDowncast(calleeValue.object, to: JSFunction.self)
                        if let fb = f.block, !f.flags.contains(.classConstructor) {
                            let newBase = (base - regs) + a + 1
                            try pushFrame(f, block: fb, baseIndex: newBase, argumentCount: argc, newTarget: .undefined,
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
                    case Opcode.construct.rawValue, Opcode.constructSpread.rawValue:
                        let calleeValue = base[a]
                        var argc = Int((word >> 40) & 0xFFFF)
                        frames[fi].pc = pc
                        if op == Opcode.constructSpread.rawValue {
                            argc = try spreadArgumentsIntoRegisters(base, a)
                        }
                        guard calleeValue.isObject, calleeValue.object.kind == .function,
                              calleeValue.object.flags.contains(.constructor) else {
                            throw typeError("\(describeForError(calleeValue)) is not a constructor")
                        }
                        let f = unsafeDowncast(calleeValue.object, to: JSFunction.self)
                        if let fb = f.block {
                            let newBase = (base - regs) + a + 1
                            if fb.code.flags.contains(.derivedConstructor) {
                                base[a + 1] = .uninitialized
                            } else {
                                let proto = try prototypeFromConstructor(calleeValue, fallback: intrinsics.objectPrototype)
                                base[a + 1] = Value(try newObject(prototype: proto))
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
                    case Opcode.superCall.rawValue, Opcode.superCallSpread.rawValue:
                        var argc = Int((word >> 40) & 0xFFFF)
                        frames[fi].pc = pc
                        if op == Opcode.superCallSpread.rawValue {
                            argc = try spreadArgumentsIntoRegisters(base, a)
                        }
                        base[a] = try superCallOp(fi, base, a, argc)
                    case Opcode.return.rawValue, Opcode.returnUndefined.rawValue:
                        let value = op == Opcode.return.rawValue ? base[a] : Value.undefined
                        let (frame, result) = try popFrame(returning: value)
                        if frame.isEntry { return result }
                        fi -= 1
                        block = frames[fi].block
                        pc = frames[fi].pc
                        base = regs + frames[fi].base
                        k = block.constants
                        regs[frame.returnRegister] = result
                        registerTop = frames[fi].base + max(block.code.registerCount, frames[fi].argumentCount + 1)

                    // MARK: Exceptions
                    case Opcode.throw.rawValue:
                        frames[fi].pc = pc
                        throw VMError.exception(base[a])
                    case Opcode.throwError.rawValue:
                        frames[fi].pc = pc
                        let kinds = ErrorKind.allCases
                        let kindIndex = Int(word >> 56)
                        let kind = kindIndex < kinds.count ? kinds[kindIndex] : .error
                        throw error(kind, k[Int((word >> 24) & 0xFFFF_FFFF)].string.swiftString)
                    case Opcode.throwConstAssignment.rawValue:
                        frames[fi].pc = pc
                        throw typeError("Assignment to constant variable '\(k[Int((word >> 24) & 0xFFFF_FFFF)].string.swiftString)'.")

                    // MARK: Iteration
                    case Opcode.getIterator.rawValue:
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
                    case Opcode.iteratorNext.rawValue:
                        let b = Int((word >> 24) & 0xFFFF)
                        let offset = Int(Int64(bitPattern: pc.pointee))
                        pc += 1
                        let state = base[b + 1]
                        if state.isNumber {
                            let o = base[b].object
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
                    case Opcode.iteratorClose.rawValue:
                        if !base[a + 1].isNumber {
                            frames[fi].pc = pc
                            let record = IteratorRecord(iterator: base[a], nextMethod: base[a + 1])
                            try iteratorClose(record, suppressErrors: Int((word >> 24) & 0xFFFF) == 1)
                        }
                    case Opcode.forInPrepare.rawValue:
                        frames[fi].pc = pc
                        base[a] = try forInPrepare(base[Int((word >> 24) & 0xFFFF)])
                    case Opcode.forInNext.rawValue:
                        let offset = Int(Int64(bitPattern: pc.pointee))
                        pc += 1
                        if let key = forInNext(base[Int((word >> 24) & 0xFFFF)]) { base[a] = key } else { pc += offset }

                    // MARK: Arguments
                    case Opcode.createArguments.rawValue:
                        base[a] = Value(try createArgumentsObject(fi))
                    case Opcode.createRest.rawValue:
                        let from = Int((word >> 24) & 0xFFFF)
                        let all = frames[fi].extraArguments
                        base[a] = Value(try newArray(from < all.count ? ContiguousArray(all[from...]) : []))
                    case Opcode.debugger.rawValue:
                        break
                    default:
                        throw typeError("invalid instruction \(op)")
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
                        registerTop = frames[fi].base + max(block.code.registerCount, frames[fi].argumentCount + 1)
                        break
                    }
                    let frame = frames.removeLast()
                    callDepth -= 1
                    if frame.isEntry { throw error }
                    fi -= 1
                    block = frames[fi].block
                    pc = frames[fi].pc
                    base = regs + frames[fi].base
                    k = block.constants
                }
            }
        }
    }

    /// Pops every frame of the current `execute` (after a termination).
    private func unwindEntry(_ fi: Int) {
        var i = fi
        while i >= 0 {
            let frame = frames.removeLast()
            callDepth -= 1
            if frame.isEntry { return }
            i -= 1
        }
    }
}
