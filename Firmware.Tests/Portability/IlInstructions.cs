using System.Reflection.Metadata;

namespace ChargerFirmware.Tests.Portability;

/// <summary>
/// One IL instruction; <see cref="Token"/> is its metadata token operand (for ldstr, its user-string token),
/// or 0 when it has none.
/// </summary>
internal readonly record struct IlInstruction(ILOpCode OpCode, int Token);

/// <summary>Walks a method body's IL, skipping operands by their ECMA-335 sizes and keeping token operands.</summary>
internal static class IlInstructions
{
    // "no." (0xFE 0x19) is valid IL that ILOpCode does not name; it takes a one-byte operand.
    private const ILOpCode NoPrefix = (ILOpCode)0xFE19;

    public static List<IlInstruction> Read(MethodBodyBlock body)
    {
        var instructions = new List<IlInstruction>();
        BlobReader il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            byte first = il.ReadByte();
            var opCode = (ILOpCode)(first == 0xFE ? 0xFE00 | il.ReadByte() : first);
            int token = 0;
            switch (OperandOf(opCode))
            {
                case Operand.Token:
                    token = il.ReadInt32();
                    break;
                case Operand.Switch:
                    int targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case var size:
                    il.Offset += (int)size;
                    break;
            }

            instructions.Add(new IlInstruction(opCode, token));
        }

        return instructions;
    }

    /// <summary>Operand sizes in bytes, plus the two operands that need reading.</summary>
    private enum Operand
    {
        None = 0,
        Byte = 1,
        Short = 2,
        Int = 4,
        Long = 8,
        Token = -1,
        Switch = -2,
    }

    private static Operand OperandOf(ILOpCode opCode)
    {
        if (opCode.IsBranch())
        {
            return (Operand)opCode.GetBranchOperandSize();
        }

        switch (opCode)
        {
            case ILOpCode.Ldarg_s or ILOpCode.Ldarga_s or ILOpCode.Starg_s or ILOpCode.Ldloc_s or ILOpCode.Ldloca_s
                or ILOpCode.Stloc_s or ILOpCode.Ldc_i4_s or ILOpCode.Unaligned or NoPrefix:
                return Operand.Byte;
            case ILOpCode.Ldarg or ILOpCode.Ldarga or ILOpCode.Starg or ILOpCode.Ldloc or ILOpCode.Ldloca or ILOpCode.Stloc:
                return Operand.Short;
            case ILOpCode.Ldc_i4 or ILOpCode.Ldc_r4:
                return Operand.Int;
            case ILOpCode.Ldc_i8 or ILOpCode.Ldc_r8:
                return Operand.Long;
            case ILOpCode.Switch:
                return Operand.Switch;
            case ILOpCode.Jmp or ILOpCode.Call or ILOpCode.Calli or ILOpCode.Callvirt or ILOpCode.Cpobj or ILOpCode.Ldobj
                or ILOpCode.Newobj or ILOpCode.Castclass or ILOpCode.Isinst or ILOpCode.Unbox or ILOpCode.Ldfld
                or ILOpCode.Ldflda or ILOpCode.Stfld or ILOpCode.Ldsfld or ILOpCode.Ldsflda or ILOpCode.Stsfld
                or ILOpCode.Stobj or ILOpCode.Box or ILOpCode.Newarr or ILOpCode.Ldelema or ILOpCode.Ldelem
                or ILOpCode.Stelem or ILOpCode.Unbox_any or ILOpCode.Refanyval or ILOpCode.Mkrefany or ILOpCode.Ldtoken
                or ILOpCode.Ldftn or ILOpCode.Ldvirtftn or ILOpCode.Initobj or ILOpCode.Constrained or ILOpCode.Sizeof
                or ILOpCode.Ldstr:
                return Operand.Token;
            default:
                return Operand.None;
        }
    }
}
