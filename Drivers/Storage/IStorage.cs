namespace ChargerFirmware.Drivers.Storage
{
    /// <summary>
    /// Flat named files in the charger's flash (internal flash I:\ on the device, a folder on the
    /// host). Small on purpose: every durability rule (framing, CRC, atomic replace) is portable
    /// code above it.
    /// </summary>
    public interface IStorage
    {
        /// <summary>True when the file exists.</summary>
        bool Exists(string name);

        /// <summary>The file's length in bytes, 0 when it does not exist.</summary>
        int Length(string name);

        /// <summary>Reads up to <paramref name="count"/> bytes from <paramref name="position"/>; returns how many were read.</summary>
        int Read(string name, int position, byte[] buffer, int offset, int count);

        /// <summary>Appends bytes at the end (creating the file) and flushes them to the medium before returning.</summary>
        void Append(string name, byte[] buffer, int offset, int count);

        /// <summary>
        /// Replaces the whole file so that a power cut leaves either the old or the new content,
        /// never a mix (write a temporary file, flush, rename over).
        /// </summary>
        void WriteAtomic(string name, byte[] buffer, int offset, int count);

        /// <summary>Cuts the file to <paramref name="length"/> bytes (drops a torn tail).</summary>
        void Truncate(string name, int length);

        /// <summary>Deletes the file if it exists.</summary>
        void Delete(string name);
    }
}
