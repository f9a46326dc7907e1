using System.IO;
using ChargerFirmware.Drivers.Storage;

namespace ChargerFirmware.Drivers.Device.Storage
{
    /// <summary>
    /// Flat files on the ESP32's internal flash drive (LittleFS, I:\). Every write is flushed before
    /// returning. Atomic replace writes "name.tmp", deletes "name" and renames (nanoFramework's
    /// File.Move cannot overwrite); <see cref="TempFileRecovery"/> finishes or undoes a replace a power
    /// cut interrupted, on the next access to the file.
    /// </summary>
    public sealed class FlashStorage : IStorage
    {
        private readonly string _root;

        /// <summary>Files under <paramref name="root"/> (for example "I:\").</summary>
        public FlashStorage(string root)
        {
            _root = root;
        }

        /// <inheritdoc/>
        public bool Exists(string name)
        {
            return File.Exists(Recover(name));
        }

        /// <inheritdoc/>
        public int Length(string name)
        {
            string path = Recover(name);
            if (!File.Exists(path))
            {
                return 0;
            }

            using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                return (int)stream.Length;
            }
        }

        /// <inheritdoc/>
        public int Read(string name, int position, byte[] buffer, int offset, int count)
        {
            string path = Recover(name);
            if (!File.Exists(path))
            {
                return 0;
            }

            using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                if (position >= stream.Length)
                {
                    return 0;
                }

                stream.Seek(position, SeekOrigin.Begin);
                int total = 0;
                while (total < count)
                {
                    int read = stream.Read(buffer, offset + total, count - total);
                    if (read <= 0)
                    {
                        break;
                    }

                    total += read;
                }

                return total;
            }
        }

        /// <inheritdoc/>
        public void Append(string name, byte[] buffer, int offset, int count)
        {
            using (FileStream stream = new FileStream(Recover(name), FileMode.Append, FileAccess.Write))
            {
                stream.Write(buffer, offset, count);
                stream.Flush();
            }
        }

        /// <inheritdoc/>
        public void WriteAtomic(string name, byte[] buffer, int offset, int count)
        {
            string path = Recover(name);
            string temp = path + TempFileRecovery.TempSuffix;
            using (FileStream stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
            {
                stream.Write(buffer, offset, count);
                stream.Flush();
            }

            if (File.Exists(path))
            {
                File.Delete(path);
            }

            File.Move(temp, path);
        }

        /// <inheritdoc/>
        public void Truncate(string name, int length)
        {
            string path = Recover(name);
            if (!File.Exists(path))
            {
                return;
            }

            using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
            {
                stream.SetLength(length);
                stream.Flush();
            }
        }

        /// <inheritdoc/>
        public void Delete(string name)
        {
            string path = _root + name;
            string temp = path + TempFileRecovery.TempSuffix;
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }

            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }

        // Finishes or undoes a replace that a power cut interrupted, then returns the file's path.
        private string Recover(string name)
        {
            string path = _root + name;
            string temp = path + TempFileRecovery.TempSuffix;
            switch (TempFileRecovery.Decide(File.Exists(path), File.Exists(temp)))
            {
                case TempFileAction.DeleteTemp:
                    File.Delete(temp);
                    break;

                case TempFileAction.PromoteTemp:
                    File.Move(temp, path);
                    break;
            }

            return path;
        }
    }
}
