namespace ChargerFirmware.Drivers.Storage
{
    /// <summary>What to do with a file's temporary copy left by an interrupted atomic replace.</summary>
    public enum TempFileAction
    {
        /// <summary>No temporary copy: nothing to do.</summary>
        None,

        /// <summary>The file is still there, so the copy may be torn: delete the copy, keep the old file.</summary>
        DeleteTemp,

        /// <summary>The file was already deleted, which happens only after the copy was flushed: rename the copy over.</summary>
        PromoteTemp,
    }

    /// <summary>
    /// The recovery rule of an atomic replace on a flash file system whose rename cannot overwrite
    /// (nanoFramework's File.Move fails when the target exists): write and flush "name.tmp", delete
    /// "name", rename "name.tmp" to "name". A power cut leaves one of three pictures, and each one
    /// resolves to the old or the new content, never a mix.
    /// </summary>
    public static class TempFileRecovery
    {
        /// <summary>Suffix of the temporary copy.</summary>
        public const string TempSuffix = ".tmp";

        /// <summary>The step that finishes or undoes an interrupted replace.</summary>
        public static TempFileAction Decide(bool fileExists, bool tempExists)
        {
            if (!tempExists)
            {
                return TempFileAction.None;
            }

            return fileExists ? TempFileAction.DeleteTemp : TempFileAction.PromoteTemp;
        }
    }
}
