using System;
using ChargerFirmware.Drivers.Storage;
using ChargerFirmware.Persistence;

namespace ChargerFirmware.Config
{
    /// <summary>
    /// Keeps the <see cref="ChargerConfig"/> in a <see cref="CheckedFile"/>, every setting under its
    /// <see cref="ConfigRegistry"/> name (so a firmware that adds, drops or reorders settings still
    /// reads the file). A missing file leaves the defaults (first start, no fault); a corrupt,
    /// foreign-version or out-of-range file leaves the defaults too and raises <see cref="Fault"/> for
    /// the status: never half applied. Names this firmware does not know are skipped and counted.
    /// </summary>
    public sealed class ConfigStore
    {
        /// <summary>The file name the firmware uses.</summary>
        public const string DefaultFileName = "config.bin";

        /// <summary>Format version of the file.</summary>
        public const int FormatVersion = 1;

        private readonly CheckedFile _file;

        /// <summary>A store over <paramref name="fileName"/> in <paramref name="storage"/>.</summary>
        public ConfigStore(IStorage storage, string fileName)
            : this(storage, fileName, null)
        {
        }

        /// <summary>A store over <paramref name="fileName"/> in <paramref name="storage"/> reporting loads and writes to <paramref name="health"/>.</summary>
        public ConfigStore(IStorage storage, string fileName, StorageHealth? health)
        {
            _file = new CheckedFile(storage, fileName, health, StoredFile.Config);
            LoadResult = LoadResults.NotLoaded;
            State = LoadResults.NotLoaded;
        }

        /// <summary>What the last <see cref="Load"/> found (a <see cref="LoadResults"/> constant).</summary>
        public int LoadResult { get; private set; }

        /// <summary>
        /// The settings' state now: what the load found until a save succeeds, then
        /// <see cref="LoadResults.Stored"/> (a failed save shows as <see cref="Fault"/>).
        /// </summary>
        public int State { get; private set; }

        /// <summary>True when the last load found an unusable file (defaults in force) or the last save failed, until a save succeeds.</summary>
        public bool Fault { get; private set; }

        /// <summary>Settings in the file that this firmware does not know (skipped).</summary>
        public int UnknownSettings { get; private set; }

        /// <summary>
        /// Fills <paramref name="into"/> from the file: on a valid file its settings over the defaults,
        /// on anything else the defaults. Never throws on content. Returns <see cref="LoadResult"/>.
        /// </summary>
        public int Load(ChargerConfig into)
        {
            UnknownSettings = 0;
            ChargerConfig loaded = new ChargerConfig();
            byte[]? payload = _file.Load(FormatVersion);
            if (payload == null)
            {
                return Loaded(into, loaded, _file.LoadResult);
            }

            if (!Decode(payload, loaded))
            {
                _file.ReportInvalid();
                return Loaded(into, new ChargerConfig(), LoadResults.Invalid);
            }

            return Loaded(into, loaded, LoadResults.Valid);
        }

        /// <summary>Writes every setting of <paramref name="config"/> atomically; false (and <see cref="Fault"/>) when the storage failed.</summary>
        public bool Save(ChargerConfig config)
        {
            byte[] payload = Encode(config);
            Fault = !_file.Save(FormatVersion, payload, payload.Length);
            if (!Fault)
            {
                State = LoadResults.Stored;
            }

            return !Fault;
        }

        private int Loaded(ChargerConfig into, ChargerConfig source, int result)
        {
            ConfigRegistry.CopyAll(source, into);
            LoadResult = result;
            State = result;
            Fault = result != LoadResults.Valid && result != LoadResults.Missing;
            return result;
        }

        // Payload: count (1), then per setting: name length (1), ASCII name, type (1), and either a
        // 64-bit little-endian value or a text length (1) and ASCII text.
        private static byte[] Encode(ChargerConfig config)
        {
            int length = 1;
            for (int i = 0; i < ConfigRegistry.Count; i++)
            {
                string? text = ConfigRegistry.GetText(config, i);
                length += 2 + ConfigRegistry.Name(i).Length + (text == null ? 8 : 1 + text.Length);
            }

            byte[] payload = new byte[length];
            payload[0] = (byte)ConfigRegistry.Count;
            int at = 1;
            for (int i = 0; i < ConfigRegistry.Count; i++)
            {
                at = WriteAscii(payload, at, ConfigRegistry.Name(i));
                string? text = ConfigRegistry.GetText(config, i);
                payload[at++] = (byte)ConfigRegistry.Type(i);
                if (text != null)
                {
                    at = WriteAscii(payload, at, text);
                    continue;
                }

                long value = ConfigRegistry.GetNumber(config, i);
                CheckedFile.WriteUInt32(payload, at, (uint)value);
                CheckedFile.WriteUInt32(payload, at + 4, (uint)(value >> 32));
                at += 8;
            }

            return payload;
        }

        private bool Decode(byte[] payload, ChargerConfig into)
        {
            if (payload.Length < 1)
            {
                return false;
            }

            int count = payload[0];
            int at = 1;
            for (int n = 0; n < count; n++)
            {
                string? name = ReadAscii(payload, ref at);
                if (name == null || at >= payload.Length)
                {
                    return false;
                }

                int type = payload[at++];
                string? text = null;
                long value = 0;
                if (type == ConfigTypes.Text)
                {
                    text = ReadAscii(payload, ref at);
                    if (text == null)
                    {
                        return false;
                    }
                }
                else
                {
                    if (at + 8 > payload.Length)
                    {
                        return false;
                    }

                    value = (long)CheckedFile.ReadUInt32(payload, at) | ((long)CheckedFile.ReadUInt32(payload, at + 4) << 32);
                    at += 8;
                }

                int index = ConfigRegistry.IndexOf(name);
                if (index < 0)
                {
                    UnknownSettings++;
                    continue;
                }

                if (ConfigRegistry.Type(index) != type || !ConfigRegistry.Apply(into, index, value, text))
                {
                    return false;
                }
            }

            return at == payload.Length;
        }

        private static int WriteAscii(byte[] buffer, int at, string text)
        {
            buffer[at++] = (byte)text.Length;
            for (int i = 0; i < text.Length; i++)
            {
                buffer[at++] = (byte)text[i];
            }

            return at;
        }

        private static string? ReadAscii(byte[] buffer, ref int at)
        {
            if (at >= buffer.Length)
            {
                return null;
            }

            int length = buffer[at++];
            if (at + length > buffer.Length)
            {
                return null;
            }

            char[] chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                byte b = buffer[at + i];
                if (b < 0x20 || b > 0x7E)
                {
                    return null;
                }

                chars[i] = (char)b;
            }

            at += length;
            return new string(chars);
        }
    }
}
