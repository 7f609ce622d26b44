/**
 * TCG PC Client Platform Firmware Profile event types (PFP spec §10.4.1).
 *
 * @module
 */

/** Event type values of the PC Client event log. */
export const TcgEventType = {
  /** Certificate of the pre-boot environment. */
  EV_PREBOOT_CERT: 0x0,
  /** POST code or BIOS/firmware blob. */
  EV_POST_CODE: 0x1,
  /** Unused. */
  EV_UNUSED: 0x2,
  /** Not extended into any PCR (Spec ID, StartupLocality...). */
  EV_NO_ACTION: 0x3,
  /** Separates pre-OS from OS-present measurements. */
  EV_SEPARATOR: 0x4,
  /** A string action. */
  EV_ACTION: 0x5,
  /** Tagged event. */
  EV_EVENT_TAG: 0x6,
  /** S-CRTM contents. */
  EV_S_CRTM_CONTENTS: 0x7,
  /** S-CRTM version string. */
  EV_S_CRTM_VERSION: 0x8,
  /** CPU microcode. */
  EV_CPU_MICROCODE: 0x9,
  /** Platform configuration flags. */
  EV_PLATFORM_CONFIG_FLAGS: 0xa,
  /** Table of devices. */
  EV_TABLE_OF_DEVICES: 0xb,
  /** Compact hash. */
  EV_COMPACT_HASH: 0xc,
  /** Initial program loader (boot loader) measurement. */
  EV_IPL: 0xd,
  /** IPL partition data. */
  EV_IPL_PARTITION_DATA: 0xe,
  /** Non-host code. */
  EV_NONHOST_CODE: 0xf,
  /** Non-host configuration. */
  EV_NONHOST_CONFIG: 0x10,
  /** Non-host information. */
  EV_NONHOST_INFO: 0x11,
  /** Boot device events omitted. */
  EV_OMIT_BOOT_DEVICE_EVENTS: 0x12,
  /** UEFI variable used for driver configuration (Secure Boot keys...). */
  EV_EFI_VARIABLE_DRIVER_CONFIG: 0x80000001,
  /** UEFI boot variable. */
  EV_EFI_VARIABLE_BOOT: 0x80000002,
  /** UEFI boot-services application (loaded image). */
  EV_EFI_BOOT_SERVICES_APPLICATION: 0x80000003,
  /** UEFI boot-services driver. */
  EV_EFI_BOOT_SERVICES_DRIVER: 0x80000004,
  /** UEFI runtime-services driver. */
  EV_EFI_RUNTIME_SERVICES_DRIVER: 0x80000005,
  /** GPT partition table. */
  EV_EFI_GPT_EVENT: 0x80000006,
  /** UEFI action string. */
  EV_EFI_ACTION: 0x80000007,
  /** Platform firmware blob. */
  EV_EFI_PLATFORM_FIRMWARE_BLOB: 0x80000008,
  /** UEFI handoff tables. */
  EV_EFI_HANDOFF_TABLES: 0x80000009,
  /** Platform firmware blob with description. */
  EV_EFI_PLATFORM_FIRMWARE_BLOB2: 0x8000000a,
  /** UEFI handoff tables with description. */
  EV_EFI_HANDOFF_TABLES2: 0x8000000b,
  /** UEFI boot variable (second form). */
  EV_EFI_VARIABLE_BOOT2: 0x8000000c,
  /** H-CRTM event. */
  EV_EFI_HCRTM_EVENT: 0x80000010,
  /** UEFI variable authority (the db entry that verified an image). */
  EV_EFI_VARIABLE_AUTHORITY: 0x800000e0,
  /** SPDM firmware blob. */
  EV_EFI_SPDM_FIRMWARE_BLOB: 0x800000e1,
  /** SPDM firmware configuration. */
  EV_EFI_SPDM_FIRMWARE_CONFIG: 0x800000e2,
} as const;

/** @internal */
export function eventTypeName(type: number): string {
  for (const [k, v] of Object.entries(TcgEventType)) if (v === type) return k;
  return `EV_UNKNOWN(0x${type.toString(16)})`;
}
