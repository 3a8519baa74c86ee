// The named route table shared by the profile builder, the built-in DEP profile and tests
// (STYLE.md §10), so a profile's URLs and the routes that serve them cannot drift apart.
export interface OrchardUrls {
  /** com.apple.mdm ServerURL: the command channel. */
  serverUrl: string;
  /** com.apple.mdm CheckInURL. */
  checkInUrl: string;
  scepUrl: string;
  /** The DEP profile `url`: devices POST their signed MachineInfo here. */
  depEnrollUrl: string;
  /** The DEP profile `configuration_web_url`: sign-in before the profile. */
  webEnrollUrl: string;
  /** Orchard's stand-in for Apple's activation service (cloud configuration). */
  cloudConfigUrl: string;
}

export function orchardUrls(baseUrl: string): OrchardUrls {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    serverUrl: `${base}/mdm/connect`,
    checkInUrl: `${base}/mdm/checkin`,
    scepUrl: `${base}/scep`,
    depEnrollUrl: `${base}/enroll/dep`,
    webEnrollUrl: `${base}/enroll/web`,
    cloudConfigUrl: `${base}/enroll/cloud-config`,
  };
}
