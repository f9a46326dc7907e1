namespace ChargerFirmware.Drivers.Modem
{
    /// <summary>
    /// The register map of the ISO 15118 companion module (holding registers, read with function 3
    /// in one request from <see cref="MapId"/> for <see cref="Length"/> registers). Multi-register
    /// values are high word first. REGISTERS.md beside this file is the reference for the module's
    /// firmware.
    /// </summary>
    public static class ModemRegisters
    {
        /// <summary>Unit address of the module on the RS-485 bus it shares with the converter (unit 1).</summary>
        public const int DefaultUnitId = 2;

        /// <summary>Map identifier register; holds <see cref="MapIdValue"/>.</summary>
        public const int MapId = 0;

        /// <summary>Map version register; holds <see cref="MapVersionValue"/>.</summary>
        public const int MapVersion = 1;

        /// <summary>Status bitfield: <see cref="StatusLinkUp"/>, <see cref="StatusMatched"/>.</summary>
        public const int Status = 2;

        /// <summary>SLAC state, see the Slac* constants.</summary>
        public const int SlacState = 3;

        /// <summary>Count of SLAC matches since power-up (wraps at 65536): a change means another session.</summary>
        public const int MatchCount = 4;

        /// <summary>Bytes of the EVCCID in use (0..<see cref="EvccIdMaxLength"/>); above 8 the whole id is in the extended block.</summary>
        public const int EvccIdLength = 5;

        /// <summary>EVCCID, its first 8 bytes in 4 registers, first byte in the high half of the first register.</summary>
        public const int EvccId = 6;

        /// <summary>Registers of the EVCCID in the main block.</summary>
        public const int EvccIdRegisters = 4;

        /// <summary>Longest EVCCID the map carries, bytes (a longer one is cut to its first 32 bytes).</summary>
        public const int EvccIdMaxLength = 32;

        /// <summary>First register of the extended EVCCID block, read only when <see cref="EvccIdLength"/> is above 8.</summary>
        public const int ExtendedIdBlock = 32;

        /// <summary>Extended block: the <see cref="MatchCount"/> of the session the id belongs to.</summary>
        public const int ExtendedMatchCount = 32;

        /// <summary>Extended block: the EVCCID's length in bytes, as in <see cref="EvccIdLength"/>.</summary>
        public const int ExtendedIdLength = 33;

        /// <summary>Extended block: the whole EVCCID, 32 bytes in 16 registers, unused bytes 0.</summary>
        public const int ExtendedId = 34;

        /// <summary>Registers of the extended block.</summary>
        public const int ExtendedBlockLength = 18;

        /// <summary>State of charge in per-mille, 0..1000; <see cref="UnknownUInt16"/> when not known.</summary>
        public const int SocPermille = 10;

        /// <summary>uint32 ms since the vehicle reported the SOC; <see cref="UnknownUInt32"/> when never.</summary>
        public const int SocAgeMs = 11;

        /// <summary>uint32 usable battery capacity in Wh; 0 when not known.</summary>
        public const int CapacityWh = 13;

        /// <summary>uint32 largest charging power the vehicle accepts, in W; 0 when not known.</summary>
        public const int MaxChargeW = 15;

        /// <summary>uint32 largest discharging power the vehicle gives, in W; 0 when not known or not offered.</summary>
        public const int MaxDischargeW = 17;

        /// <summary>uint32 ms since the vehicle reported capacity and limits; <see cref="UnknownUInt32"/> when never.</summary>
        public const int LimitsAgeMs = 19;

        /// <summary>Registers in the main block (0..20), read every poll in one request.</summary>
        public const int Length = 21;

        /// <summary>"EC" (EV communication).</summary>
        public const int MapIdValue = 0x4543;

        /// <summary>The version this driver reads.</summary>
        public const int MapVersionValue = 1;

        /// <summary>Status bit 0: power-line carrier detected.</summary>
        public const int StatusLinkUp = 1;

        /// <summary>Status bit 1: SLAC matched with one vehicle.</summary>
        public const int StatusMatched = 2;

        /// <summary>No link, nothing to match.</summary>
        public const int SlacIdle = 0;

        /// <summary>Link up, SLAC matching under way.</summary>
        public const int SlacMatching = 1;

        /// <summary>Matched.</summary>
        public const int SlacMatched = 2;

        /// <summary>Matching failed (C_conn_max_match attempts used up).</summary>
        public const int SlacFailed = 3;

        /// <summary>uint16 "not known".</summary>
        public const int UnknownUInt16 = 0xFFFF;

        /// <summary>uint32 "never" for ages.</summary>
        public const long UnknownUInt32 = 0xFFFFFFFFL;
    }
}
