// Reading the chosen file in the browser: its bytes for the worker, and whether it is an Excel workbook.
// Nothing is uploaded: the bytes go to the rules' worker on this computer.

// The packages an .xlsx file needs, installed in the worker on demand.
export const EXCEL_PACKAGES = ["openpyxl"];
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

/** The file's bytes in base64, for the worker (which tells CSV in any encoding from .xlsx). Read here, never sent. */
export function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result.slice(reader.result.indexOf(",") + 1));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** Whether the file is a zip archive, as an .xlsx workbook is (whatever its name). */
export async function isZip(file) {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return ZIP_SIGNATURE.every((byte, index) => head[index] === byte);
}
