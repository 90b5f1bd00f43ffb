// Parse throughput on the 1.44 MB benchmark config: ours vs the npm parsers nginx-conf and
// @webantic/nginx-config-parser, same file, same process, medians of warm runs.
import { readFileSync } from 'node:fs';
import { parse } from '../../server/src/service/syntax/parser';
import { time } from './timing';

const file = process.argv[2];
const text = readFileSync(file, 'utf8');


const ours = time(() => parse(text), 30, 10);

const { NginxConfFile } = require('nginx-conf');
const nginxConf = time(() => {
  let err: unknown = null;
  NginxConfFile.createFromSource(text, (e: unknown) => { err = e; });
  if (err) throw err;
}, 5, 1);

const Webantic = require('@webantic/nginx-config-parser');
const webantic = time(() => new Webantic().toJSON(text), 5, 1);

const fastestPeer = Math.min(nginxConf, webantic);
console.log(JSON.stringify({
  bytes: text.length,
  lines: text.split('\n').length,
  oursMs: +ours.toFixed(2),
  nginxConfMs: +nginxConf.toFixed(1),
  webanticMs: +webantic.toFixed(1),
  speedupVsFastestPeer: +(fastestPeer / ours).toFixed(1),
  targetMs: 15,
  meetsTarget: ours <= 15 && fastestPeer / ours >= 15,
}));
