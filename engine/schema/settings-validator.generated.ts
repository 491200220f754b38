// @ts-nocheck
// GENERATED from schemas/settings.schema.json by scripts/generate-validators.mjs: do not edit.
import { SCHEMA_FORMATS as schemaFormats } from './formats.ts';
"use strict";
export const validate = validate10;
export default validate10;
const schema11 = {"$schema":"http://json-schema.org/draft-07/schema#","title":"runbook settings","description":"Settings of a runbook: runbook.yaml beside the chapters of a directory runbook, or the YAML front matter of a single-file runbook. Reference: docs/README.adoc (section Settings).","type":["object","null"],"additionalProperties":false,"properties":{"title":{"description":"Title of the runbook: the rendered document's title and the run's header.","$ref":"#/definitions/scalar"},"vars":{"description":"Variables exported into the shell session before the first step; --set NAME=VALUE overrides them. Names use letters, digits and _ (not starting with a digit).","type":["object","null"],"propertyNames":{"pattern":"^[A-Za-z_][A-Za-z0-9_]*$"},"additionalProperties":{"$ref":"#/definitions/scalar"}},"targets":{"description":"Where the runbook can run, by name; --target NAME chooses one, the first is the default. Names use letters, digits, _ and - (starting with a letter or digit).","type":"object","propertyNames":{"pattern":"^[A-Za-z0-9][A-Za-z0-9_-]*$"},"additionalProperties":{"$ref":"#/definitions/target"}},"timeout":{"description":"Default per-step timeout (default 10m): 500ms, 30s, 5m, 1h, 1m30s or a number of seconds; at most 596h.","$ref":"#/definitions/duration"},"redact":{"description":"JavaScript regular expressions masked as [REDACTED] in every captured output, written block and report, besides the built-in patterns.","type":["array","null"],"items":{"description":"A JavaScript regular expression (it must compile).","anyOf":[{"type":"string","format":"regex"},{"type":["number","boolean"]}]}},"leftovers":{"description":"The leftovers check after each chapter run on a cluster: fail (a chapter that leaves objects behind fails on its last step), warn (the run notes them) or off (default).","enum":["fail","warn","off"]},"screenshot":{"$ref":"#/definitions/screenshot"},"render":{"description":"Reserved for the renderer's own settings: accepted and kept, read by no feature of this engine version."},"readme":{"description":"Reserved for README material: accepted and kept, read by no feature of this engine version."},"report":{"description":"Reserved for report settings: accepted and kept, read by no feature of this engine version."},"kube":{"description":"Reserved for Kubernetes settings: accepted and kept, read by no feature of this engine version."},"doctor":{"description":"Reserved for doctor settings: accepted and kept, read by no feature of this engine version."},"needs":{"description":"Chapter key (a single file's front matter; in a directory runbook, each chapter's own front matter): chapters, by file name without extension, that must run before this one.","$ref":"#/definitions/nameList"},"leaves":{"description":"Chapter key: objects the chapter intentionally leaves for later chapters.","$ref":"#/definitions/nameList"},"sources":{"description":"Chapter key: upstream pages the chapter follows, each a URL or { url, release, note }.","type":["array","null"],"items":{"$ref":"#/definitions/source"}}},"definitions":{"scalar":{"description":"A single value (text, number or true/false), not a list or a mapping.","type":["string","number","boolean"]},"duration":{"description":"A duration: 500ms, 30s, 5m, 1h, 1m30s or a number of seconds; at most 596h.","anyOf":[{"type":"number","minimum":0,"maximum":2147483.647},{"type":"string","pattern":"^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ms|s|m|h))+)\\s*$","format":"runbook-duration"}]},"target":{"description":"A target: { context: GLOB, requires: [commands], description: text }; an empty target needs no cluster.","type":["object","null"],"additionalProperties":false,"properties":{"context":{"description":"Glob on the kube context name; steps refuse to run when the current context does not match.","$ref":"#/definitions/scalar"},"requires":{"description":"Commands that must be on PATH (checked by doctor and before a run).","type":"array","items":{"$ref":"#/definitions/scalar"}},"description":{"description":"What the target is, for people.","$ref":"#/definitions/scalar"}}},"screenshot":{"description":"Defaults for every screenshot directive and the sign-in form login=USER fills.","type":["object","null"],"additionalProperties":false,"properties":{"viewport":{"description":"Browser window size WIDTHxHEIGHT (default 1280x800).","type":"string","format":"runbook-viewport"},"scale":{"description":"Device scale factor, a positive number (default 1).","anyOf":[{"type":"number","exclusiveMinimum":0},{"type":"string","format":"runbook-positive-number"}]},"threshold":{"description":"Changed-pixel share at or below which an existing image is kept: a percentage such as 0.1% or a fraction such as 0.001 (default 0.001).","anyOf":[{"type":"number","minimum":0,"maximum":1},{"type":"string","format":"runbook-threshold"}]},"timeout":{"description":"Budget of one screenshot when the step sets no timeout= (default 30s).","$ref":"#/definitions/duration"},"diff-dir":{"description":"Where diff images go, relative to the directory runbook starts in (default .runbook/screenshots).","$ref":"#/definitions/scalar"},"login":{"description":"The sign-in form login=USER fills: CSS selectors open, username, password, submit, and the password-value typed (may use $VAR).","type":"object","additionalProperties":false,"properties":{"open":{"type":["string","number","boolean","null"]},"username":{"type":["string","number","boolean","null"]},"password":{"type":["string","number","boolean","null"]},"submit":{"type":["string","number","boolean","null"]},"password-value":{"type":["string","number","boolean","null"]}}}}},"nameList":{"description":"A name, or a list of names (each a single non-empty value).","anyOf":[{"type":["string","null"]},{"type":"array","items":{"type":["string","number","boolean"],"pattern":"\\S"}}]},"source":{"description":"An http(s) URL, or { url, release, note }.","anyOf":[{"type":"string","pattern":"^https?://\\S+$"},{"type":"object","additionalProperties":false,"required":["url"],"properties":{"url":{"type":"string","pattern":"^https?://\\S+$"},"release":{"$ref":"#/definitions/scalar"},"note":{"$ref":"#/definitions/scalar"}}}]}}};
const schema12 = {"description":"A single value (text, number or true/false), not a list or a mapping.","type":["string","number","boolean"]};
const schema18 = {"description":"A duration: 500ms, 30s, 5m, 1h, 1m30s or a number of seconds; at most 596h.","anyOf":[{"type":"number","minimum":0,"maximum":2147483.647},{"type":"string","pattern":"^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ms|s|m|h))+)\\s*$","format":"runbook-duration"}]};
const schema22 = {"description":"A name, or a list of names (each a single non-empty value).","anyOf":[{"type":["string","null"]},{"type":"array","items":{"type":["string","number","boolean"],"pattern":"\\S"}}]};
const func2 = Object.prototype.hasOwnProperty;
const pattern0 = new RegExp("^[A-Za-z_][A-Za-z0-9_]*$", "u");
const pattern1 = new RegExp("^[A-Za-z0-9][A-Za-z0-9_-]*$", "u");
const pattern2 = new RegExp("^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ms|s|m|h))+)\\s*$", "u");
const pattern4 = new RegExp("\\S", "u");
const schema14 = {"description":"A target: { context: GLOB, requires: [commands], description: text }; an empty target needs no cluster.","type":["object","null"],"additionalProperties":false,"properties":{"context":{"description":"Glob on the kube context name; steps refuse to run when the current context does not match.","$ref":"#/definitions/scalar"},"requires":{"description":"Commands that must be on PATH (checked by doctor and before a run).","type":"array","items":{"$ref":"#/definitions/scalar"}},"description":{"description":"What the target is, for people.","$ref":"#/definitions/scalar"}}};

function validate11(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if((!(data && typeof data == "object" && !Array.isArray(data))) && (data !== null)){
validate11.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: schema14.type},message:"must be object,null",schema:schema14.type,parentSchema:schema14,data}];
return false;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
const _errs1 = errors;
for(const key0 in data){
if(!(((key0 === "context") || (key0 === "requires")) || (key0 === "description"))){
validate11.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema14,data}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.context !== undefined){
let data0 = data.context;
const _errs2 = errors;
if(((typeof data0 !== "string") && (!((typeof data0 == "number") && (isFinite(data0))))) && (typeof data0 !== "boolean")){
validate11.errors = [{instancePath:instancePath+"/context",schemaPath:"#/definitions/scalar/type",keyword:"type",params:{type: schema12.type},message:"must be string,number,boolean",schema:schema12.type,parentSchema:schema12,data:data0}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.requires !== undefined){
let data1 = data.requires;
const _errs5 = errors;
if(errors === _errs5){
if(Array.isArray(data1)){
var valid2 = true;
const len0 = data1.length;
for(let i0=0; i0<len0; i0++){
let data2 = data1[i0];
const _errs7 = errors;
if(((typeof data2 !== "string") && (!((typeof data2 == "number") && (isFinite(data2))))) && (typeof data2 !== "boolean")){
validate11.errors = [{instancePath:instancePath+"/requires/" + i0,schemaPath:"#/definitions/scalar/type",keyword:"type",params:{type: schema12.type},message:"must be string,number,boolean",schema:schema12.type,parentSchema:schema12,data:data2}];
return false;
}
var valid2 = _errs7 === errors;
if(!valid2){
break;
}
}
}
else {
validate11.errors = [{instancePath:instancePath+"/requires",schemaPath:"#/properties/requires/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema14.properties.requires.type,parentSchema:schema14.properties.requires,data:data1}];
return false;
}
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.description !== undefined){
let data3 = data.description;
const _errs10 = errors;
if(((typeof data3 !== "string") && (!((typeof data3 == "number") && (isFinite(data3))))) && (typeof data3 !== "boolean")){
validate11.errors = [{instancePath:instancePath+"/description",schemaPath:"#/definitions/scalar/type",keyword:"type",params:{type: schema12.type},message:"must be string,number,boolean",schema:schema12.type,parentSchema:schema12,data:data3}];
return false;
}
var valid0 = _errs10 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
validate11.errors = vErrors;
return errors === 0;
}

const schema19 = {"description":"Defaults for every screenshot directive and the sign-in form login=USER fills.","type":["object","null"],"additionalProperties":false,"properties":{"viewport":{"description":"Browser window size WIDTHxHEIGHT (default 1280x800).","type":"string","format":"runbook-viewport"},"scale":{"description":"Device scale factor, a positive number (default 1).","anyOf":[{"type":"number","exclusiveMinimum":0},{"type":"string","format":"runbook-positive-number"}]},"threshold":{"description":"Changed-pixel share at or below which an existing image is kept: a percentage such as 0.1% or a fraction such as 0.001 (default 0.001).","anyOf":[{"type":"number","minimum":0,"maximum":1},{"type":"string","format":"runbook-threshold"}]},"timeout":{"description":"Budget of one screenshot when the step sets no timeout= (default 30s).","$ref":"#/definitions/duration"},"diff-dir":{"description":"Where diff images go, relative to the directory runbook starts in (default .runbook/screenshots).","$ref":"#/definitions/scalar"},"login":{"description":"The sign-in form login=USER fills: CSS selectors open, username, password, submit, and the password-value typed (may use $VAR).","type":"object","additionalProperties":false,"properties":{"open":{"type":["string","number","boolean","null"]},"username":{"type":["string","number","boolean","null"]},"password":{"type":["string","number","boolean","null"]},"submit":{"type":["string","number","boolean","null"]},"password-value":{"type":["string","number","boolean","null"]}}}}};
const formats4 = schemaFormats["runbook-viewport"];
const formats6 = schemaFormats["runbook-positive-number"];
const formats8 = schemaFormats["runbook-threshold"];
const formats0 = schemaFormats["runbook-duration"];

function validate13(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if((!(data && typeof data == "object" && !Array.isArray(data))) && (data !== null)){
validate13.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: schema19.type},message:"must be object,null",schema:schema19.type,parentSchema:schema19,data}];
return false;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
const _errs1 = errors;
for(const key0 in data){
if(!((((((key0 === "viewport") || (key0 === "scale")) || (key0 === "threshold")) || (key0 === "timeout")) || (key0 === "diff-dir")) || (key0 === "login"))){
validate13.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema19,data}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.viewport !== undefined){
let data0 = data.viewport;
const _errs2 = errors;
if(errors === _errs2){
if(errors === _errs2){
if(typeof data0 === "string"){
if(!(formats4(data0))){
validate13.errors = [{instancePath:instancePath+"/viewport",schemaPath:"#/properties/viewport/format",keyword:"format",params:{format: "runbook-viewport"},message:"must match format \""+"runbook-viewport"+"\"",schema:"runbook-viewport",parentSchema:schema19.properties.viewport,data:data0}];
return false;
}
}
else {
validate13.errors = [{instancePath:instancePath+"/viewport",schemaPath:"#/properties/viewport/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema19.properties.viewport.type,parentSchema:schema19.properties.viewport,data:data0}];
return false;
}
}
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.scale !== undefined){
let data1 = data.scale;
const _errs4 = errors;
const _errs5 = errors;
let valid1 = false;
const _errs6 = errors;
if(errors === _errs6){
if((typeof data1 == "number") && (isFinite(data1))){
if(data1 <= 0 || isNaN(data1)){
const err0 = {instancePath:instancePath+"/scale",schemaPath:"#/properties/scale/anyOf/0/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema19.properties.scale.anyOf[0],data:data1};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
else {
const err1 = {instancePath:instancePath+"/scale",schemaPath:"#/properties/scale/anyOf/0/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema19.properties.scale.anyOf[0].type,parentSchema:schema19.properties.scale.anyOf[0],data:data1};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
var _valid0 = _errs6 === errors;
valid1 = valid1 || _valid0;
if(!valid1){
const _errs8 = errors;
if(errors === _errs8){
if(errors === _errs8){
if(typeof data1 === "string"){
if(!(formats6(data1))){
const err2 = {instancePath:instancePath+"/scale",schemaPath:"#/properties/scale/anyOf/1/format",keyword:"format",params:{format: "runbook-positive-number"},message:"must match format \""+"runbook-positive-number"+"\"",schema:"runbook-positive-number",parentSchema:schema19.properties.scale.anyOf[1],data:data1};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/scale",schemaPath:"#/properties/scale/anyOf/1/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema19.properties.scale.anyOf[1].type,parentSchema:schema19.properties.scale.anyOf[1],data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
}
var _valid0 = _errs8 === errors;
valid1 = valid1 || _valid0;
}
if(!valid1){
const err4 = {instancePath:instancePath+"/scale",schemaPath:"#/properties/scale/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema19.properties.scale.anyOf,parentSchema:schema19.properties.scale,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
validate13.errors = vErrors;
return false;
}
else {
errors = _errs5;
if(vErrors !== null){
if(_errs5){
vErrors.length = _errs5;
}
else {
vErrors = null;
}
}
}
var valid0 = _errs4 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.threshold !== undefined){
let data2 = data.threshold;
const _errs10 = errors;
const _errs11 = errors;
let valid2 = false;
const _errs12 = errors;
if(errors === _errs12){
if((typeof data2 == "number") && (isFinite(data2))){
if(data2 > 1 || isNaN(data2)){
const err5 = {instancePath:instancePath+"/threshold",schemaPath:"#/properties/threshold/anyOf/0/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1",schema:1,parentSchema:schema19.properties.threshold.anyOf[0],data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
else {
if(data2 < 0 || isNaN(data2)){
const err6 = {instancePath:instancePath+"/threshold",schemaPath:"#/properties/threshold/anyOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema19.properties.threshold.anyOf[0],data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
}
else {
const err7 = {instancePath:instancePath+"/threshold",schemaPath:"#/properties/threshold/anyOf/0/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema19.properties.threshold.anyOf[0].type,parentSchema:schema19.properties.threshold.anyOf[0],data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
var _valid1 = _errs12 === errors;
valid2 = valid2 || _valid1;
if(!valid2){
const _errs14 = errors;
if(errors === _errs14){
if(errors === _errs14){
if(typeof data2 === "string"){
if(!(formats8(data2))){
const err8 = {instancePath:instancePath+"/threshold",schemaPath:"#/properties/threshold/anyOf/1/format",keyword:"format",params:{format: "runbook-threshold"},message:"must match format \""+"runbook-threshold"+"\"",schema:"runbook-threshold",parentSchema:schema19.properties.threshold.anyOf[1],data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
else {
const err9 = {instancePath:instancePath+"/threshold",schemaPath:"#/properties/threshold/anyOf/1/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema19.properties.threshold.anyOf[1].type,parentSchema:schema19.properties.threshold.anyOf[1],data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
}
var _valid1 = _errs14 === errors;
valid2 = valid2 || _valid1;
}
if(!valid2){
const err10 = {instancePath:instancePath+"/threshold",schemaPath:"#/properties/threshold/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema19.properties.threshold.anyOf,parentSchema:schema19.properties.threshold,data:data2};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
validate13.errors = vErrors;
return false;
}
else {
errors = _errs11;
if(vErrors !== null){
if(_errs11){
vErrors.length = _errs11;
}
else {
vErrors = null;
}
}
}
var valid0 = _errs10 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.timeout !== undefined){
let data3 = data.timeout;
const _errs16 = errors;
const _errs18 = errors;
let valid4 = false;
const _errs19 = errors;
if(errors === _errs19){
if((typeof data3 == "number") && (isFinite(data3))){
if(data3 > 2147483.647 || isNaN(data3)){
const err11 = {instancePath:instancePath+"/timeout",schemaPath:"#/definitions/duration/anyOf/0/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483.647},message:"must be <= 2147483.647",schema:2147483.647,parentSchema:schema18.anyOf[0],data:data3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
else {
if(data3 < 0 || isNaN(data3)){
const err12 = {instancePath:instancePath+"/timeout",schemaPath:"#/definitions/duration/anyOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema18.anyOf[0],data:data3};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
}
else {
const err13 = {instancePath:instancePath+"/timeout",schemaPath:"#/definitions/duration/anyOf/0/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema18.anyOf[0].type,parentSchema:schema18.anyOf[0],data:data3};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
var _valid2 = _errs19 === errors;
valid4 = valid4 || _valid2;
if(!valid4){
const _errs21 = errors;
if(errors === _errs21){
if(errors === _errs21){
if(typeof data3 === "string"){
if(!pattern2.test(data3)){
const err14 = {instancePath:instancePath+"/timeout",schemaPath:"#/definitions/duration/anyOf/1/pattern",keyword:"pattern",params:{pattern: "^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ms|s|m|h))+)\\s*$"},message:"must match pattern \""+"^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ms|s|m|h))+)\\s*$"+"\"",schema:"^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ms|s|m|h))+)\\s*$",parentSchema:schema18.anyOf[1],data:data3};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
else {
if(!(formats0(data3))){
const err15 = {instancePath:instancePath+"/timeout",schemaPath:"#/definitions/duration/anyOf/1/format",keyword:"format",params:{format: "runbook-duration"},message:"must match format \""+"runbook-duration"+"\"",schema:"runbook-duration",parentSchema:schema18.anyOf[1],data:data3};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
}
else {
const err16 = {instancePath:instancePath+"/timeout",schemaPath:"#/definitions/duration/anyOf/1/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema18.anyOf[1].type,parentSchema:schema18.anyOf[1],data:data3};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
}
var _valid2 = _errs21 === errors;
valid4 = valid4 || _valid2;
}
if(!valid4){
const err17 = {instancePath:instancePath+"/timeout",schemaPath:"#/definitions/duration/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema18.anyOf,parentSchema:schema18,data:data3};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
validate13.errors = vErrors;
return false;
}
else {
errors = _errs18;
if(vErrors !== null){
if(_errs18){
vErrors.length = _errs18;
}
else {
vErrors = null;
}
}
}
var valid0 = _errs16 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data["diff-dir"] !== undefined){
let data4 = data["diff-dir"];
const _errs23 = errors;
if(((typeof data4 !== "string") && (!((typeof data4 == "number") && (isFinite(data4))))) && (typeof data4 !== "boolean")){
validate13.errors = [{instancePath:instancePath+"/diff-dir",schemaPath:"#/definitions/scalar/type",keyword:"type",params:{type: schema12.type},message:"must be string,number,boolean",schema:schema12.type,parentSchema:schema12,data:data4}];
return false;
}
var valid0 = _errs23 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.login !== undefined){
let data5 = data.login;
const _errs26 = errors;
if(errors === _errs26){
if(data5 && typeof data5 == "object" && !Array.isArray(data5)){
const _errs28 = errors;
for(const key1 in data5){
if(!(((((key1 === "open") || (key1 === "username")) || (key1 === "password")) || (key1 === "submit")) || (key1 === "password-value"))){
validate13.errors = [{instancePath:instancePath+"/login",schemaPath:"#/properties/login/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema19.properties.login,data:data5}];
return false;
break;
}
}
if(_errs28 === errors){
if(data5.open !== undefined){
let data6 = data5.open;
const _errs29 = errors;
if((((typeof data6 !== "string") && (!((typeof data6 == "number") && (isFinite(data6))))) && (typeof data6 !== "boolean")) && (data6 !== null)){
validate13.errors = [{instancePath:instancePath+"/login/open",schemaPath:"#/properties/login/properties/open/type",keyword:"type",params:{type: schema19.properties.login.properties.open.type},message:"must be string,number,boolean,null",schema:schema19.properties.login.properties.open.type,parentSchema:schema19.properties.login.properties.open,data:data6}];
return false;
}
var valid6 = _errs29 === errors;
}
else {
var valid6 = true;
}
if(valid6){
if(data5.username !== undefined){
let data7 = data5.username;
const _errs31 = errors;
if((((typeof data7 !== "string") && (!((typeof data7 == "number") && (isFinite(data7))))) && (typeof data7 !== "boolean")) && (data7 !== null)){
validate13.errors = [{instancePath:instancePath+"/login/username",schemaPath:"#/properties/login/properties/username/type",keyword:"type",params:{type: schema19.properties.login.properties.username.type},message:"must be string,number,boolean,null",schema:schema19.properties.login.properties.username.type,parentSchema:schema19.properties.login.properties.username,data:data7}];
return false;
}
var valid6 = _errs31 === errors;
}
else {
var valid6 = true;
}
if(valid6){
if(data5.password !== undefined){
let data8 = data5.password;
const _errs33 = errors;
if((((typeof data8 !== "string") && (!((typeof data8 == "number") && (isFinite(data8))))) && (typeof data8 !== "boolean")) && (data8 !== null)){
validate13.errors = [{instancePath:instancePath+"/login/password",schemaPath:"#/properties/login/properties/password/type",keyword:"type",params:{type: schema19.properties.login.properties.password.type},message:"must be string,number,boolean,null",schema:schema19.properties.login.properties.password.type,parentSchema:schema19.properties.login.properties.password,data:data8}];
return false;
}
var valid6 = _errs33 === errors;
}
else {
var valid6 = true;
}
if(valid6){
if(data5.submit !== undefined){
let data9 = data5.submit;
const _errs35 = errors;
if((((typeof data9 !== "string") && (!((typeof data9 == "number") && (isFinite(data9))))) && (typeof data9 !== "boolean")) && (data9 !== null)){
validate13.errors = [{instancePath:instancePath+"/login/submit",schemaPath:"#/properties/login/properties/submit/type",keyword:"type",params:{type: schema19.properties.login.properties.submit.type},message:"must be string,number,boolean,null",schema:schema19.properties.login.properties.submit.type,parentSchema:schema19.properties.login.properties.submit,data:data9}];
return false;
}
var valid6 = _errs35 === errors;
}
else {
var valid6 = true;
}
if(valid6){
if(data5["password-value"] !== undefined){
let data10 = data5["password-value"];
const _errs37 = errors;
if((((typeof data10 !== "string") && (!((typeof data10 == "number") && (isFinite(data10))))) && (typeof data10 !== "boolean")) && (data10 !== null)){
validate13.errors = [{instancePath:instancePath+"/login/password-value",schemaPath:"#/properties/login/properties/password-value/type",keyword:"type",params:{type: schema19.properties.login.properties["password-value"].type},message:"must be string,number,boolean,null",schema:schema19.properties.login.properties["password-value"].type,parentSchema:schema19.properties.login.properties["password-value"],data:data10}];
return false;
}
var valid6 = _errs37 === errors;
}
else {
var valid6 = true;
}
}
}
}
}
}
}
else {
validate13.errors = [{instancePath:instancePath+"/login",schemaPath:"#/properties/login/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema19.properties.login.type,parentSchema:schema19.properties.login,data:data5}];
return false;
}
}
var valid0 = _errs26 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
}
validate13.errors = vErrors;
return errors === 0;
}

const schema24 = {"description":"An http(s) URL, or { url, release, note }.","anyOf":[{"type":"string","pattern":"^https?://\\S+$"},{"type":"object","additionalProperties":false,"required":["url"],"properties":{"url":{"type":"string","pattern":"^https?://\\S+$"},"release":{"$ref":"#/definitions/scalar"},"note":{"$ref":"#/definitions/scalar"}}}]};
const pattern6 = new RegExp("^https?://\\S+$", "u");

function validate15(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
const _errs0 = errors;
let valid0 = false;
const _errs1 = errors;
if(errors === _errs1){
if(typeof data === "string"){
if(!pattern6.test(data)){
const err0 = {instancePath,schemaPath:"#/anyOf/0/pattern",keyword:"pattern",params:{pattern: "^https?://\\S+$"},message:"must match pattern \""+"^https?://\\S+$"+"\"",schema:"^https?://\\S+$",parentSchema:schema24.anyOf[0],data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
else {
const err1 = {instancePath,schemaPath:"#/anyOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema24.anyOf[0].type,parentSchema:schema24.anyOf[0],data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
var _valid0 = _errs1 === errors;
valid0 = valid0 || _valid0;
if(!valid0){
const _errs3 = errors;
if(errors === _errs3){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((data.url === undefined) && (missing0 = "url")){
const err2 = {instancePath,schemaPath:"#/anyOf/1/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'",schema:schema24.anyOf[1].required,parentSchema:schema24.anyOf[1],data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
else {
const _errs5 = errors;
for(const key0 in data){
if(!(((key0 === "url") || (key0 === "release")) || (key0 === "note"))){
const err3 = {instancePath,schemaPath:"#/anyOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema24.anyOf[1],data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
break;
}
}
if(_errs5 === errors){
if(data.url !== undefined){
let data0 = data.url;
const _errs6 = errors;
if(errors === _errs6){
if(typeof data0 === "string"){
if(!pattern6.test(data0)){
const err4 = {instancePath:instancePath+"/url",schemaPath:"#/anyOf/1/properties/url/pattern",keyword:"pattern",params:{pattern: "^https?://\\S+$"},message:"must match pattern \""+"^https?://\\S+$"+"\"",schema:"^https?://\\S+$",parentSchema:schema24.anyOf[1].properties.url,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/url",schemaPath:"#/anyOf/1/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema24.anyOf[1].properties.url.type,parentSchema:schema24.anyOf[1].properties.url,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
var valid1 = _errs6 === errors;
}
else {
var valid1 = true;
}
if(valid1){
if(data.release !== undefined){
let data1 = data.release;
const _errs8 = errors;
if(((typeof data1 !== "string") && (!((typeof data1 == "number") && (isFinite(data1))))) && (typeof data1 !== "boolean")){
const err6 = {instancePath:instancePath+"/release",schemaPath:"#/definitions/scalar/type",keyword:"type",params:{type: schema12.type},message:"must be string,number,boolean",schema:schema12.type,parentSchema:schema12,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
var valid1 = _errs8 === errors;
}
else {
var valid1 = true;
}
if(valid1){
if(data.note !== undefined){
let data2 = data.note;
const _errs11 = errors;
if(((typeof data2 !== "string") && (!((typeof data2 == "number") && (isFinite(data2))))) && (typeof data2 !== "boolean")){
const err7 = {instancePath:instancePath+"/note",schemaPath:"#/definitions/scalar/type",keyword:"type",params:{type: schema12.type},message:"must be string,number,boolean",schema:schema12.type,parentSchema:schema12,data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
var valid1 = _errs11 === errors;
}
else {
var valid1 = true;
}
}
}
}
}
}
else {
const err8 = {instancePath,schemaPath:"#/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema24.anyOf[1].type,parentSchema:schema24.anyOf[1],data};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
var _valid0 = _errs3 === errors;
valid0 = valid0 || _valid0;
}
if(!valid0){
const err9 = {instancePath,schemaPath:"#/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema24.anyOf,parentSchema:schema24,data};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
validate15.errors = vErrors;
return false;
}
else {
errors = _errs0;
if(vErrors !== null){
if(_errs0){
vErrors.length = _errs0;
}
else {
vErrors = null;
}
}
}
validate15.errors = vErrors;
return errors === 0;
}

const formats2 = schemaFormats.regex;

function validate10(data, {instancePath="", parentData, parentDataProperty, rootData=data}={}){
let vErrors = null;
let errors = 0;
if((!(data && typeof data == "object" && !Array.isArray(data))) && (data !== null)){
validate10.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: schema11.type},message:"must be object,null",schema:schema11.type,parentSchema:schema11,data}];
return false;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
const _errs1 = errors;
for(const key0 in data){
if(!(func2.call(schema11.properties, key0))){
validate10.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema11,data}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.title !== undefined){
let data0 = data.title;
const _errs2 = errors;
if(((typeof data0 !== "string") && (!((typeof data0 == "number") && (isFinite(data0))))) && (typeof data0 !== "boolean")){
validate10.errors = [{instancePath:instancePath+"/title",schemaPath:"#/definitions/scalar/type",keyword:"type",params:{type: schema12.type},message:"must be string,number,boolean",schema:schema12.type,parentSchema:schema12,data:data0}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.vars !== undefined){
let data1 = data.vars;
const _errs5 = errors;
if((!(data1 && typeof data1 == "object" && !Array.isArray(data1))) && (data1 !== null)){
validate10.errors = [{instancePath:instancePath+"/vars",schemaPath:"#/properties/vars/type",keyword:"type",params:{type: schema11.properties.vars.type},message:"must be object,null",schema:schema11.properties.vars.type,parentSchema:schema11.properties.vars,data:data1}];
return false;
}
if(errors === _errs5){
if(data1 && typeof data1 == "object" && !Array.isArray(data1)){
for(const key1 in data1){
const _errs7 = errors;
if(typeof key1 === "string"){
if(!pattern0.test(key1)){
const err0 = {instancePath:instancePath+"/vars",schemaPath:"#/properties/vars/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z_][A-Za-z0-9_]*$"},message:"must match pattern \""+"^[A-Za-z_][A-Za-z0-9_]*$"+"\"",schema:"^[A-Za-z_][A-Za-z0-9_]*$",parentSchema:schema11.properties.vars.propertyNames,data:key1,propertyName:key1};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
var valid2 = _errs7 === errors;
if(!valid2){
const err1 = {instancePath:instancePath+"/vars",schemaPath:"#/properties/vars/propertyNames",keyword:"propertyNames",params:{propertyName: key1},message:"property name must be valid",schema:schema11.properties.vars.propertyNames,parentSchema:schema11.properties.vars,data:data1};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
validate10.errors = vErrors;
return false;
break;
}
}
if(valid2){
for(const key2 in data1){
let data2 = data1[key2];
const _errs9 = errors;
if(((typeof data2 !== "string") && (!((typeof data2 == "number") && (isFinite(data2))))) && (typeof data2 !== "boolean")){
validate10.errors = [{instancePath:instancePath+"/vars/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/definitions/scalar/type",keyword:"type",params:{type: schema12.type},message:"must be string,number,boolean",schema:schema12.type,parentSchema:schema12,data:data2}];
return false;
}
var valid3 = _errs9 === errors;
if(!valid3){
break;
}
}
}
}
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.targets !== undefined){
let data3 = data.targets;
const _errs12 = errors;
if(errors === _errs12){
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
for(const key3 in data3){
const _errs14 = errors;
if(typeof key3 === "string"){
if(!pattern1.test(key3)){
const err2 = {instancePath:instancePath+"/targets",schemaPath:"#/properties/targets/propertyNames/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9][A-Za-z0-9_-]*$"},message:"must match pattern \""+"^[A-Za-z0-9][A-Za-z0-9_-]*$"+"\"",schema:"^[A-Za-z0-9][A-Za-z0-9_-]*$",parentSchema:schema11.properties.targets.propertyNames,data:key3,propertyName:key3};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
var valid5 = _errs14 === errors;
if(!valid5){
const err3 = {instancePath:instancePath+"/targets",schemaPath:"#/properties/targets/propertyNames",keyword:"propertyNames",params:{propertyName: key3},message:"property name must be valid",schema:schema11.properties.targets.propertyNames,parentSchema:schema11.properties.targets,data:data3};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
validate10.errors = vErrors;
return false;
break;
}
}
if(valid5){
for(const key4 in data3){
const _errs16 = errors;
if(!(validate11(data3[key4], {instancePath:instancePath+"/targets/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data3,parentDataProperty:key4,rootData}))){
vErrors = vErrors === null ? validate11.errors : vErrors.concat(validate11.errors);
errors = vErrors.length;
}
var valid6 = _errs16 === errors;
if(!valid6){
break;
}
}
}
}
else {
validate10.errors = [{instancePath:instancePath+"/targets",schemaPath:"#/properties/targets/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema11.properties.targets.type,parentSchema:schema11.properties.targets,data:data3}];
return false;
}
}
var valid0 = _errs12 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.timeout !== undefined){
let data5 = data.timeout;
const _errs17 = errors;
const _errs19 = errors;
let valid8 = false;
const _errs20 = errors;
if(errors === _errs20){
if((typeof data5 == "number") && (isFinite(data5))){
if(data5 > 2147483.647 || isNaN(data5)){
const err4 = {instancePath:instancePath+"/timeout",schemaPath:"#/definitions/duration/anyOf/0/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2147483.647},message:"must be <= 2147483.647",schema:2147483.647,parentSchema:schema18.anyOf[0],data:data5};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
else {
if(data5 < 0 || isNaN(data5)){
const err5 = {instancePath:instancePath+"/timeout",schemaPath:"#/definitions/duration/anyOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema18.anyOf[0],data:data5};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
}
else {
const err6 = {instancePath:instancePath+"/timeout",schemaPath:"#/definitions/duration/anyOf/0/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema18.anyOf[0].type,parentSchema:schema18.anyOf[0],data:data5};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
var _valid0 = _errs20 === errors;
valid8 = valid8 || _valid0;
if(!valid8){
const _errs22 = errors;
if(errors === _errs22){
if(errors === _errs22){
if(typeof data5 === "string"){
if(!pattern2.test(data5)){
const err7 = {instancePath:instancePath+"/timeout",schemaPath:"#/definitions/duration/anyOf/1/pattern",keyword:"pattern",params:{pattern: "^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ms|s|m|h))+)\\s*$"},message:"must match pattern \""+"^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ms|s|m|h))+)\\s*$"+"\"",schema:"^\\s*(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ms|s|m|h))+)\\s*$",parentSchema:schema18.anyOf[1],data:data5};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
else {
if(!(formats0(data5))){
const err8 = {instancePath:instancePath+"/timeout",schemaPath:"#/definitions/duration/anyOf/1/format",keyword:"format",params:{format: "runbook-duration"},message:"must match format \""+"runbook-duration"+"\"",schema:"runbook-duration",parentSchema:schema18.anyOf[1],data:data5};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
}
else {
const err9 = {instancePath:instancePath+"/timeout",schemaPath:"#/definitions/duration/anyOf/1/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema18.anyOf[1].type,parentSchema:schema18.anyOf[1],data:data5};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
}
var _valid0 = _errs22 === errors;
valid8 = valid8 || _valid0;
}
if(!valid8){
const err10 = {instancePath:instancePath+"/timeout",schemaPath:"#/definitions/duration/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema18.anyOf,parentSchema:schema18,data:data5};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
validate10.errors = vErrors;
return false;
}
else {
errors = _errs19;
if(vErrors !== null){
if(_errs19){
vErrors.length = _errs19;
}
else {
vErrors = null;
}
}
}
var valid0 = _errs17 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.redact !== undefined){
let data6 = data.redact;
const _errs24 = errors;
if((!(Array.isArray(data6))) && (data6 !== null)){
validate10.errors = [{instancePath:instancePath+"/redact",schemaPath:"#/properties/redact/type",keyword:"type",params:{type: schema11.properties.redact.type},message:"must be array,null",schema:schema11.properties.redact.type,parentSchema:schema11.properties.redact,data:data6}];
return false;
}
if(errors === _errs24){
if(Array.isArray(data6)){
var valid9 = true;
const len0 = data6.length;
for(let i0=0; i0<len0; i0++){
let data7 = data6[i0];
const _errs26 = errors;
const _errs27 = errors;
let valid10 = false;
const _errs28 = errors;
if(errors === _errs28){
if(errors === _errs28){
if(typeof data7 === "string"){
if(!(formats2(data7))){
const err11 = {instancePath:instancePath+"/redact/" + i0,schemaPath:"#/properties/redact/items/anyOf/0/format",keyword:"format",params:{format: "regex"},message:"must match format \""+"regex"+"\"",schema:"regex",parentSchema:schema11.properties.redact.items.anyOf[0],data:data7};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/redact/" + i0,schemaPath:"#/properties/redact/items/anyOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema11.properties.redact.items.anyOf[0].type,parentSchema:schema11.properties.redact.items.anyOf[0],data:data7};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
}
var _valid1 = _errs28 === errors;
valid10 = valid10 || _valid1;
if(!valid10){
const _errs30 = errors;
if((!((typeof data7 == "number") && (isFinite(data7)))) && (typeof data7 !== "boolean")){
const err13 = {instancePath:instancePath+"/redact/" + i0,schemaPath:"#/properties/redact/items/anyOf/1/type",keyword:"type",params:{type: schema11.properties.redact.items.anyOf[1].type},message:"must be number,boolean",schema:schema11.properties.redact.items.anyOf[1].type,parentSchema:schema11.properties.redact.items.anyOf[1],data:data7};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
var _valid1 = _errs30 === errors;
valid10 = valid10 || _valid1;
}
if(!valid10){
const err14 = {instancePath:instancePath+"/redact/" + i0,schemaPath:"#/properties/redact/items/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema11.properties.redact.items.anyOf,parentSchema:schema11.properties.redact.items,data:data7};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
validate10.errors = vErrors;
return false;
}
else {
errors = _errs27;
if(vErrors !== null){
if(_errs27){
vErrors.length = _errs27;
}
else {
vErrors = null;
}
}
}
var valid9 = _errs26 === errors;
if(!valid9){
break;
}
}
}
}
var valid0 = _errs24 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.leftovers !== undefined){
let data8 = data.leftovers;
const _errs32 = errors;
if(!(((data8 === "fail") || (data8 === "warn")) || (data8 === "off"))){
validate10.errors = [{instancePath:instancePath+"/leftovers",schemaPath:"#/properties/leftovers/enum",keyword:"enum",params:{allowedValues: schema11.properties.leftovers.enum},message:"must be equal to one of the allowed values",schema:schema11.properties.leftovers.enum,parentSchema:schema11.properties.leftovers,data:data8}];
return false;
}
var valid0 = _errs32 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.screenshot !== undefined){
const _errs33 = errors;
if(!(validate13(data.screenshot, {instancePath:instancePath+"/screenshot",parentData:data,parentDataProperty:"screenshot",rootData}))){
vErrors = vErrors === null ? validate13.errors : vErrors.concat(validate13.errors);
errors = vErrors.length;
}
var valid0 = _errs33 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.needs !== undefined){
let data10 = data.needs;
const _errs34 = errors;
const _errs36 = errors;
let valid12 = false;
const _errs37 = errors;
if((typeof data10 !== "string") && (data10 !== null)){
const err15 = {instancePath:instancePath+"/needs",schemaPath:"#/definitions/nameList/anyOf/0/type",keyword:"type",params:{type: schema22.anyOf[0].type},message:"must be string,null",schema:schema22.anyOf[0].type,parentSchema:schema22.anyOf[0],data:data10};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
var _valid2 = _errs37 === errors;
valid12 = valid12 || _valid2;
if(!valid12){
const _errs39 = errors;
if(errors === _errs39){
if(Array.isArray(data10)){
var valid13 = true;
const len1 = data10.length;
for(let i1=0; i1<len1; i1++){
let data11 = data10[i1];
const _errs41 = errors;
if(((typeof data11 !== "string") && (!((typeof data11 == "number") && (isFinite(data11))))) && (typeof data11 !== "boolean")){
const err16 = {instancePath:instancePath+"/needs/" + i1,schemaPath:"#/definitions/nameList/anyOf/1/items/type",keyword:"type",params:{type: schema22.anyOf[1].items.type},message:"must be string,number,boolean",schema:schema22.anyOf[1].items.type,parentSchema:schema22.anyOf[1].items,data:data11};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
if(errors === _errs41){
if(typeof data11 === "string"){
if(!pattern4.test(data11)){
const err17 = {instancePath:instancePath+"/needs/" + i1,schemaPath:"#/definitions/nameList/anyOf/1/items/pattern",keyword:"pattern",params:{pattern: "\\S"},message:"must match pattern \""+"\\S"+"\"",schema:"\\S",parentSchema:schema22.anyOf[1].items,data:data11};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
}
var valid13 = _errs41 === errors;
if(!valid13){
break;
}
}
}
else {
const err18 = {instancePath:instancePath+"/needs",schemaPath:"#/definitions/nameList/anyOf/1/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema22.anyOf[1].type,parentSchema:schema22.anyOf[1],data:data10};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
var _valid2 = _errs39 === errors;
valid12 = valid12 || _valid2;
}
if(!valid12){
const err19 = {instancePath:instancePath+"/needs",schemaPath:"#/definitions/nameList/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema22.anyOf,parentSchema:schema22,data:data10};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
validate10.errors = vErrors;
return false;
}
else {
errors = _errs36;
if(vErrors !== null){
if(_errs36){
vErrors.length = _errs36;
}
else {
vErrors = null;
}
}
}
var valid0 = _errs34 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.leaves !== undefined){
let data12 = data.leaves;
const _errs43 = errors;
const _errs45 = errors;
let valid15 = false;
const _errs46 = errors;
if((typeof data12 !== "string") && (data12 !== null)){
const err20 = {instancePath:instancePath+"/leaves",schemaPath:"#/definitions/nameList/anyOf/0/type",keyword:"type",params:{type: schema22.anyOf[0].type},message:"must be string,null",schema:schema22.anyOf[0].type,parentSchema:schema22.anyOf[0],data:data12};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
var _valid3 = _errs46 === errors;
valid15 = valid15 || _valid3;
if(!valid15){
const _errs48 = errors;
if(errors === _errs48){
if(Array.isArray(data12)){
var valid16 = true;
const len2 = data12.length;
for(let i2=0; i2<len2; i2++){
let data13 = data12[i2];
const _errs50 = errors;
if(((typeof data13 !== "string") && (!((typeof data13 == "number") && (isFinite(data13))))) && (typeof data13 !== "boolean")){
const err21 = {instancePath:instancePath+"/leaves/" + i2,schemaPath:"#/definitions/nameList/anyOf/1/items/type",keyword:"type",params:{type: schema22.anyOf[1].items.type},message:"must be string,number,boolean",schema:schema22.anyOf[1].items.type,parentSchema:schema22.anyOf[1].items,data:data13};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
if(errors === _errs50){
if(typeof data13 === "string"){
if(!pattern4.test(data13)){
const err22 = {instancePath:instancePath+"/leaves/" + i2,schemaPath:"#/definitions/nameList/anyOf/1/items/pattern",keyword:"pattern",params:{pattern: "\\S"},message:"must match pattern \""+"\\S"+"\"",schema:"\\S",parentSchema:schema22.anyOf[1].items,data:data13};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
}
var valid16 = _errs50 === errors;
if(!valid16){
break;
}
}
}
else {
const err23 = {instancePath:instancePath+"/leaves",schemaPath:"#/definitions/nameList/anyOf/1/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema22.anyOf[1].type,parentSchema:schema22.anyOf[1],data:data12};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
var _valid3 = _errs48 === errors;
valid15 = valid15 || _valid3;
}
if(!valid15){
const err24 = {instancePath:instancePath+"/leaves",schemaPath:"#/definitions/nameList/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema22.anyOf,parentSchema:schema22,data:data12};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
validate10.errors = vErrors;
return false;
}
else {
errors = _errs45;
if(vErrors !== null){
if(_errs45){
vErrors.length = _errs45;
}
else {
vErrors = null;
}
}
}
var valid0 = _errs43 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.sources !== undefined){
let data14 = data.sources;
const _errs52 = errors;
if((!(Array.isArray(data14))) && (data14 !== null)){
validate10.errors = [{instancePath:instancePath+"/sources",schemaPath:"#/properties/sources/type",keyword:"type",params:{type: schema11.properties.sources.type},message:"must be array,null",schema:schema11.properties.sources.type,parentSchema:schema11.properties.sources,data:data14}];
return false;
}
if(errors === _errs52){
if(Array.isArray(data14)){
var valid17 = true;
const len3 = data14.length;
for(let i3=0; i3<len3; i3++){
const _errs54 = errors;
if(!(validate15(data14[i3], {instancePath:instancePath+"/sources/" + i3,parentData:data14,parentDataProperty:i3,rootData}))){
vErrors = vErrors === null ? validate15.errors : vErrors.concat(validate15.errors);
errors = vErrors.length;
}
var valid17 = _errs54 === errors;
if(!valid17){
break;
}
}
}
}
var valid0 = _errs52 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
}
}
}
}
}
validate10.errors = vErrors;
return errors === 0;
}

