package org.banyan.samples.finance.points;

/**
 * A points programme, as stored under {@code programme:<id>}.
 *
 * @param id the programme's code
 * @param name its public name
 * @param operator the MSP ID of the organisation that runs it and acts for its members
 * @param settlementAccount the operator's digital currency account that clearings pay from and into
 * @param pointValue minor units of currency one point is settled at between programmes
 */
public record Programme(String id, String name, String operator, String settlementAccount, long pointValue) {}
