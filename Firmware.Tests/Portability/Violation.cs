namespace ChargerFirmware.Tests.Portability;

/// <summary>What a portable assembly does that the nanoFramework 1.x runtime cannot run.</summary>
public enum ViolationKind
{
    GenericTypeDefinition,
    GenericMethodDefinition,
    GenericInstantiation,
    MultidimensionalArray,
    ForeignReference,
    CoreLibraryVersion,
    EnumToString,
}

/// <summary>
/// One finding. <see cref="Subject"/> names the offending type, member or reference;
/// <see cref="Location"/> names where it is used ("method Ns.Type.Member(int)", "field Ns.Type._x"),
/// or is empty when the subject is itself the place (a definition, an assembly reference).
/// </summary>
public sealed record Violation(string Assembly, ViolationKind Kind, string Subject, string Location)
{
    public override string ToString()
    {
        string text = $"{Assembly}: {Describe(Kind)} {Subject}";
        return Location.Length == 0 ? text : $"{text} in {Location}";
    }

    private static string Describe(ViolationKind kind) => kind switch
    {
        ViolationKind.GenericTypeDefinition => "generic type definition",
        ViolationKind.GenericMethodDefinition => "generic method definition",
        ViolationKind.GenericInstantiation => "generic instantiation",
        ViolationKind.MultidimensionalArray => "multidimensional array",
        ViolationKind.ForeignReference => "reference to an assembly other than mscorlib and the portable ones:",
        ViolationKind.CoreLibraryVersion => "mscorlib version is not 1.17.x:",
        ViolationKind.EnumToString => "enum ToString prints a number on the device:",
        _ => kind.ToString(),
    };
}
